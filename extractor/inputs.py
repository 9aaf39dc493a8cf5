"""Input checks that run before any LLM call: bad input must cost nothing.

Rejected: empty or whitespace-only text, bytes that are not UTF-8 (with the byte
offset), binary content, HTML markup (the API rejects it; `html_to_text` and the
CLI reduce it to text), and text over the size limit. Long text is not an error
when chunking is on: it is split into windows instead.
"""

from __future__ import annotations

import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError

DEFAULT_MAX_CHARS = 200_000
_HTML_HINT = re.compile(
    r"<\s*(?:html|body|div|p|article|head|script|span|br)\b[^>]*>", re.IGNORECASE
)


def decode(data: bytes, name: str = "<input>") -> str:
    """Bytes to text, or an InputError naming the file and the first bad byte."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary content (NUL byte), not text", reason="binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x})",
            reason="encoding",
            offset=exc.start,
        ) from exc
    return text.removeprefix("\ufeff")


def read_input(source: str | Path) -> tuple[str, bool]:
    """The text of a file, or of standard input for "-", and whether it was HTML.

    The one reader of the CLI and of batches: HTML pages are reduced to their
    visible text, and spans then refer to that text.
    """
    if str(source) == "-":
        text = decode(sys.stdin.buffer.read(), "<stdin>")
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{source}: no such file", reason="missing")
        text = decode(path.read_bytes(), str(source))
    if looks_like_html(text):
        return html_to_text(text), True
    return text, False


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:20_000])) >= 2


class _TextOnly(HTMLParser):
    _SKIP = {"script", "style", "noscript", "head", "nav", "footer", "svg"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "article", "section", "tr", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The article text of an HTML page: its title, then its body, one block per line.

    trafilatura (the `html` extra) keeps the article and drops menus, cookie banners,
    comments and "related stories"; without it, or where it finds no article, every
    visible block is kept (scripts, styles and navigation dropped).
    """
    try:
        import trafilatura  # noqa: PLC0415  (optional; heavy)
    except ImportError:
        return visible_text(markup)
    found = trafilatura.bare_extraction(
        markup,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
    )
    body = getattr(found, "text", None) if found is not None else None
    if not body or not body.strip():
        return visible_text(markup)
    title = getattr(found, "title", None)
    lines = [" ".join(line.split()) for line in body.splitlines()]
    if title and " ".join(title.split()) not in lines[:3]:
        lines.insert(0, " ".join(title.split()))
    return "\n".join(line for line in lines if line)


def visible_text(markup: str) -> str:
    """Every visible block of an HTML page, one per line: the fallback reader."""
    parser = _TextOnly()
    parser.feed(markup)
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def check_text(text: object, *, max_chars: int = DEFAULT_MAX_CHARS, chunking: bool = True) -> str:
    """Return `text` if it can be extracted from; raise InputError otherwise."""
    if isinstance(text, bytes):
        text = decode(text)
    if not isinstance(text, str):
        raise InputError(f"expected text, got {type(text).__name__}", reason="type")
    if not text.strip():
        raise InputError("input is empty or whitespace only", reason="empty")
    control = sum(1 for ch in text[:20_000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in text or control > 0.01 * min(len(text), 20_000):
        raise InputError("input looks binary (control characters), not text", reason="binary")
    if looks_like_html(text):
        raise InputError(
            "input is HTML markup; pass extractor.html_to_text(markup) instead",
            reason="html",
        )
    if len(text) > max_chars and not chunking:
        raise InputError(
            f"input has {len(text):,} characters, over the limit of {max_chars:,} "
            "(raise max_chars or turn chunking on)",
            reason="too_long",
        )
    if len(text) > max_chars * 10:
        raise InputError(
            f"input has {len(text):,} characters, over ten times the limit of {max_chars:,}",
            reason="too_long",
        )
    return text
