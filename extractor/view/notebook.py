"""The record view inline in a notebook: `_repr_html_` on `Article` and `Document`.

A record does not carry the input it was read from, only its spans and evidence. So
`View(text, articles)` draws the whole text, and an `Article` or `Document` alone
draws what its records hold of the text: every claim's and meeting's evidence at its
place, the gaps between them shown as " … ", with the actor mentions that fall inside
(all records are still in the side list). Spans are moved to that shorter text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Claim, Document, Meeting, Span
from .page import render_fragment

GAP = " … "


@dataclass(frozen=True)
class View:
    """The input text with its articles, drawn in full in a notebook cell."""

    text: str
    articles: Sequence[Article]
    title: str = ""

    def _repr_html_(self) -> str:
        return render_fragment(self.text, self.articles, title=self.title)


def _pieces(articles: Sequence[Article]) -> list[tuple[int, str]]:
    """(start, text) of the input the records quote, merged where they overlap."""
    records: list[Claim | Meeting] = [r for a in articles for r in a.claims]
    records += [r for a in articles for r in a.meetings]
    known = sorted(
        (r.span[0], r.evidence)
        for r in records
        if r.span and r.span[1] - r.span[0] == len(r.evidence)
    )
    out: list[tuple[int, str]] = []
    for start, piece in known:
        if out and start <= out[-1][0] + len(out[-1][1]):
            last_start, last = out[-1]
            tail = piece[last_start + len(last) - start :]
            out[-1] = (last_start, last + tail)
        else:
            out.append((start, piece))
    return out


def excerpt(articles: Sequence[Article]) -> tuple[str, list[Article]]:
    """The quoted pieces as one text, and the articles with spans moved into it."""
    pieces = _pieces(articles)
    moved: list[tuple[int, int, int]] = []  # input start, input end, shift to the new text
    parts: list[str] = []
    at = 0
    for start, piece in pieces:
        if parts:
            parts.append(GAP)
            at += len(GAP)
        moved.append((start, start + len(piece), at - start))
        parts.append(piece)
        at += len(piece)

    def move(span: Span | None) -> Span | None:
        for start, end, shift in moved:
            if span and start <= span[0] and span[1] <= end:
                return (span[0] + shift, span[1] + shift)
        return None

    def inside(span: Span | None) -> Span | None:
        """An article's span: from its first moved piece to its last."""
        if not span:
            return None
        mine = [(s + d, e + d) for s, e, d in moved if span[0] <= s and e <= span[1]]
        return (mine[0][0], mine[-1][1]) if mine else None

    out = []
    for a in articles:
        actors = [
            x.model_copy(update={"mentions": [m for m in map(move, x.mentions) if m]})
            for x in a.actors
        ]
        claims = [c.model_copy(update={"span": move(c.span)}) for c in a.claims]
        meetings = [m.model_copy(update={"span": move(m.span)}) for m in a.meetings]
        update = {"actors": actors, "claims": claims, "meetings": meetings, "span": inside(a.span)}
        out.append(a.model_copy(update=update))
    return "".join(parts), out


def notebook_html(records: Article | Document) -> str:
    """`_repr_html_` of an article or a document: the view over its quoted text."""
    articles = records.articles if isinstance(records, Document) else [records]
    title = records.id if isinstance(records, Document) else ""
    text, moved = excerpt(articles)
    return render_fragment(text, moved, title=title)
