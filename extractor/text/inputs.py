"""Input checks that run before any LLM call: bad input must cost nothing.

Rejected: empty, whitespace-only or invisible-only text, bytes that are not UTF-8
(with the byte offset; UTF-16 is named as such), lone surrogates, binary content,
HTML markup (the API rejects it; `html_to_text` and the CLI reduce it to text), and
text over the size limit. Long text is not an error when chunking is on: it is split
into windows instead.

Files are checked before they are read: a directory, a FIFO or a device (`/dev/zero`)
is refused from `stat` alone, and a file is read to at most the byte limit plus one
byte, so no input can make the reader hang or grow without bound.
"""

from __future__ import annotations

import html
import os
import re
import stat
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..models import is_date

DEFAULT_MAX_CHARS = 200_000
# Chunking accepts up to ten times max_chars; a character is at most 4 UTF-8 bytes.
BYTES_PER_CHAR_LIMIT = 4 * 10
DEFAULT_MAX_BYTES = DEFAULT_MAX_CHARS * BYTES_PER_CHAR_LIMIT
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zs", "Zl", "Zp"}
_HTML_HINT = re.compile(
    r"<\s*(?:html|body|div|p|article|head|script|span|br)\b[^>]*>", re.IGNORECASE
)


def _utf16(data: bytes) -> bool:
    """A UTF-16 BOM, or text whose every other byte is NUL (UTF-16 without a BOM)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:4096]
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def decode(data: bytes, name: str = "<input>") -> str:
    """Bytes to text, or an InputError naming the file and the first bad byte."""
    if _utf16(data):
        raise InputError(
            f"{name}: UTF-16 text; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)",
            reason="encoding",
        )
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


def _too_big(name: str, max_bytes: int) -> InputError:
    return InputError(f"{name}: over the input limit of {max_bytes:,} bytes", reason="too_long")


def read_bytes(source: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file (or of standard input for "-"), at most `max_bytes`.

    `stat` first: a missing path, a directory, a FIFO, a socket or a device is an
    InputError before anything is opened for reading, and a file over the limit is
    refused by its size. The read itself stops at `max_bytes + 1` bytes, so a file
    that grows while it is read (or a pipe on stdin) cannot exhaust memory.
    """
    name = str(source)
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_big("<stdin>", max_bytes)
        return data
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file", reason="missing") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})", reason="unreadable") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory, not a file", reason="not_a_file")
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a FIFO"
            if stat.S_ISFIFO(info.st_mode)
            else "a device"
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "not a regular file"
        )
        raise InputError(f"{name}: is {kind}, not a regular file", reason="not_a_file")
    if info.st_size > max_bytes:
        raise _too_big(name, max_bytes)
    try:
        with open(source, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})", reason="unreadable") from None
    if len(data) > max_bytes:
        raise _too_big(name, max_bytes)
    return data


class Page(NamedTuple):
    """An input read for extraction: its text, whether it was HTML, and the day an HTML
    page declares it was published (None otherwise)."""

    text: str
    html: bool
    published: str | None = None


def read_input(source: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Page:
    """The text of a file, or of standard input for "-", and whether it was HTML.

    The one reader of the CLI and of batches: HTML pages are reduced to their
    visible text, and spans then refer to that text.
    """
    name = "<stdin>" if str(source) == "-" else str(source)
    return text_of(read_bytes(source, max_bytes), name)


def text_of(data: bytes, name: str) -> Page:
    """Decoded text of input bytes, reduced to visible text when it is HTML."""
    text = decode(data, name)
    if looks_like_html(text):
        return Page(html_to_text(text), True, html_published(text))
    return Page(text, False)


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


_DATE_KEYS = (
    "article:published_time|og:published_time|datepublished|pubdate|publishdate"
    "|publish-date|date|dc.date.issued|dc.date|sailthru.date|parsely-pub-date"
)
_META_DATE = re.compile(
    rf"""<meta\b[^>]*?\b(?:property|name|itemprop)\s*=\s*["']({_DATE_KEYS})["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']{10,40})["']""", re.IGNORECASE)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
_HEAD_CHARS = 200_000  # the date lives in the page's head or its first script


def html_published(markup: str) -> str | None:
    """The publication day an HTML page declares about itself, as YYYY-MM-DD, or None.

    Read from `<meta property="article:published_time">` and its kin (og:, itemprop
    `datePublished`, `pubdate`, Dublin Core) or JSON-LD `"datePublished"`, in that
    order; only a real calendar day counts. The CLI and batches make it the default
    `published` of an HTML input; a date the caller gives wins.
    """
    head = markup[:_HEAD_CHARS]
    found = [m for m in (_CONTENT.search(t.group(0)) for t in _META_DATE.finditer(head)) if m]
    candidates = [m.group(1) for m in found] + _LD_DATE.findall(head)
    for value in candidates:
        day = value.strip()[:10]
        if is_date(day):
            return day
    return None


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
    if not _has_visible(text):
        raise InputError(
            "input has only invisible characters (format marks, zero-width spaces)",
            reason="empty",
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise InputError(
            f"input has a lone surrogate (U+{ord(surrogate.group()):04X}) at character "
            f"{surrogate.start()}: not valid Unicode text",
            reason="encoding",
            offset=surrogate.start(),
        )
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_visible(text: str) -> bool:
    """Whether any character would show: stops at the first one, so prose costs nothing."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)
