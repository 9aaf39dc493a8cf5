"""The headline: a segment's first line when it is short enough to be one."""

from __future__ import annotations

from ..models import Span
from .segment import Segment


def first_line(text: str, segment: Segment) -> Span | None:
    """Where the segment's first non-blank line sits, when it is short enough to be a headline."""
    at = segment.start
    for line in text[segment.start : segment.end].splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = at + line.index(stripped)
            return (start, start + len(stripped)) if len(stripped) <= 200 else None
        at += len(line)
    return None


_HEADLINE_WORDS = 15  # headlines of news run to about 5–15 words


def title_of(text: str, segment: Segment) -> str | None:
    """The segment's first line, when it is short enough to be a headline."""
    span = first_line(text, segment)
    return text[span[0] : span[1]] if span else None


def opens_with_lead(text: str, line: Span, segment: Segment) -> bool:
    """Whether the first line (`first_line`) is the lead sentence rather than a headline.

    A first line that ends as a sentence does is taken for the lead (digests open
    items that way) unless it is as short as headlines are and a body follows it:
    "British diplomat praises Obama's presidency." is a headline with a period, while
    a lead sentence runs to 20–40 words.
    """
    body = text[line[1] : segment.end].strip()
    return text[line[1] - 1] in ".!?؟" and (
        len(text[line[0] : line[1]].split()) > _HEADLINE_WORDS or not body
    )
