"""The headline: a segment's first line when it is short enough to be one."""

from __future__ import annotations

from ..models import Span
from .segment import Segment


def _first_line(text: str, segment: Segment) -> Span | None:
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
    span = _first_line(text, segment)
    return text[span[0] : span[1]] if span else None


def headline_span(text: str, segment: Segment) -> Span | None:
    """Where the headline `title_of` reads sits: reported speech there is no claim.

    A headline ("مصادر لـCNN: قطر تجري محادثات …") restates what the body reports
    with its attribution; the body's sentence is the claim (RECORDS.md §2: a lead
    sentence counts, and the headline is not one). A first line that ends as a
    sentence does is taken for the lead (digests open items that way) unless it is as
    short as headlines are and a body follows it: "British diplomat praises Obama's
    presidency." is a headline with a period, while a lead sentence runs to 20–40 words.
    """
    span = _first_line(text, segment)
    if span is None:
        return None
    body = text[span[1] : segment.end].strip()
    if text[span[1] - 1] in ".!?؟" and (
        len(text[span[0] : span[1]].split()) > _HEADLINE_WORDS or not body
    ):
        return None  # a lead sentence opens the text, and it counts
    return span
