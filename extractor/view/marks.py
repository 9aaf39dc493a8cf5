"""Spans to markup: escaping, direction, and records nested as `<span>` elements.

The record page (`page.py`) draws with `nest`; the eval report (`evals/report.py`)
with `escape` and `cut_highlight`. Nothing here writes input as markup: every piece
of text goes through `escape`.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

_KIND_ORDER = {"meeting": 0, "claim": 1, "actor": 2}  # outermost first on equal spans


def escape(value: Any) -> str:
    """Any value as HTML text or attribute content (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def is_rtl(language: str | None, text: str = "") -> bool:
    """Right to left for Arabic: by the article's language, else by the text's letters."""
    if language and language != "und":
        return language.split("-")[0].lower() in {"ar", "fa", "he", "ur"}
    arabic = sum(1 for ch in text[:5000] if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in text[:5000] if ch.isascii() and ch.isalpha())
    return arabic > latin


def cut_highlight(text: str, marks: Sequence[tuple[int, int, str]], order: Sequence[str]) -> str:
    """Escaped text cut at every mark boundary; each piece carries the classes covering it.

    Flat (no nesting), so overlapping marks combine as CSS classes on one element
    (`.gc.gm`): what the eval report draws, gold and predicted evidence side by side.
    """
    cuts = sorted({0, len(text), *(x for s, e, _ in marks for x in (s, e) if 0 <= x <= len(text))})
    out = []
    for start, end in itertools.pairwise(cuts):
        classes = [
            css for css in order if any(s <= start and end <= e and c == css for s, e, c in marks)
        ]
        piece = escape(text[start:end])
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
    return "".join(out)


@dataclass(frozen=True)
class Mark:
    """One highlighted span of one record; a record may have several (actor mentions)."""

    start: int
    end: int
    kind: str  # actor, claim, meeting
    key: str  # the record's key in the page's JSON
    title: str  # what the record is in a few words (the hover card shows its fields)
    colour: int | None = None  # palette index (records.PALETTE)


def nest(text: str, marks: Sequence[Mark], offset: int = 0) -> str:
    """Escaped text with each mark as a `<span>` element, properly nested.

    Where two marks cross, the inner one is split into fragments that share its
    `data-rec` key, so the text of a record is the text of its fragments in order.
    `text` may be a piece of the input starting at `offset` (one article): marks are
    in input offsets and are clipped to the piece.
    """
    marks = [
        replace(m, start=max(m.start - offset, 0), end=min(m.end - offset, len(text)))
        for m in marks
        if m.start < m.end and m.start < offset + len(text) and m.end > offset and m.start >= 0
    ]
    cuts = sorted({0, len(text), *(x for m in marks for x in (m.start, m.end))})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    stack: list[Mark] = []
    out: list[str] = []

    def order(m: Mark) -> tuple[int, int, int]:
        return (m.start, -m.end, _KIND_ORDER.get(m.kind, 3))

    for start, end in itertools.pairwise(cuts):
        active = [m for m in active if m.end > start] + starts.get(start, [])
        wanted = sorted(active, key=order)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        out.append("</span>" * (len(stack) - keep))
        del stack[keep:]
        for m in wanted[keep:]:
            colour = f" p{m.colour}" if m.colour is not None else ""
            out.append(
                f'<span class="rec {escape(m.kind)}{colour}" data-rec="{escape(m.key)}" '
                f'data-kind="{escape(m.kind)}" tabindex="-1">'
            )
            stack.append(m)
        out.append(escape(text[start:end]))
    out.append("</span>" * len(stack))
    return "".join(out)
