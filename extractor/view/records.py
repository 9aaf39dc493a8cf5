"""What the page shows of each record: its spans, its fields, its links and its list entry.

One pass over the articles builds all of it, so the highlighted text, the side list,
the hover fields and the speaker ↔ claim links cannot disagree. Keys are
`ARTICLE-kind-N` (`0-a-qatar`, `0-c-3`, `1-m-0`): unique over a multi-article input.
Colours come from a fixed colour-blind-safe palette (Okabe and Ito) by actor index,
so the same article always draws the same way; a claim takes its first speaker's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Actor, Article, Claim, Meeting
from .marks import Mark

PALETTE = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#999999",  # grey
)


@dataclass(frozen=True)
class Item:
    """One entry of the side list."""

    key: str
    kind: str  # actor, claim, meeting
    article: int
    label: str
    detail: str
    colour: int | None  # palette index; None for a record with no actor colour


@dataclass
class Catalog:
    """Every record of the page: spans to draw, fields to show, links and list entries."""

    marks: list[Mark] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)

    def link(self, a: str, b: str) -> None:
        """Two records that light up together (an actor and its claim or meeting)."""
        for x, y in ((a, b), (b, a)):
            if y not in self.links.setdefault(x, []):
                self.links[x].append(y)


def short(value: str, limit: int = 90) -> str:
    """One line of at most `limit` characters, cut at a word where it can be."""
    flat = " ".join(value.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut + "…"


def catalog(articles: Sequence[Article]) -> Catalog:
    """The records of every article, in reading order, actors then claims then meetings."""
    out = Catalog()
    for n, article in enumerate(articles):
        colours = {a.id: i % len(PALETTE) for i, a in enumerate(article.actors)}
        names = {a.id: a.name for a in article.actors}
        for actor in article.actors:
            _actor(out, n, actor, names, colours[actor.id])
        for i, claim in enumerate(article.claims):
            _claim(out, n, i, claim, names, colours)
        for i, meeting in enumerate(article.meetings):
            _meeting(out, n, i, meeting, names)
    return out


def _actor(out: Catalog, n: int, actor: Actor, names: dict[str, str], colour: int) -> None:
    key = f"{n}-a-{actor.id}"
    out.records[key] = {
        "record": "actor",
        "name": actor.name,
        "name_en": actor.name_en,
        "kind": actor.kind,
        "role": actor.role,
        "affiliation": names.get(actor.affiliation or "", actor.affiliation),
        "anonymous": actor.anonymous,
        "aliases": ", ".join(actor.aliases),
        "mentions": len(actor.mentions),
    }
    title = actor.name if actor.name_en == actor.name else f"{actor.name} ({actor.name_en})"
    out.marks.extend(Mark(s, e, "actor", key, title, colour) for s, e in actor.mentions)
    mentions = f"{len(actor.mentions)} mention" + ("" if len(actor.mentions) == 1 else "s")
    anonymous = "anonymous" if actor.anonymous else ""
    detail = " · ".join(x for x in (actor.kind, anonymous, mentions) if x)
    out.items.append(Item(key, "actor", n, title, detail, colour))


def _claim(
    out: Catalog, n: int, i: int, claim: Claim, names: dict[str, str], colours: dict[str, int]
) -> None:
    key = f"{n}-c-{i}"
    speakers = ", ".join(names.get(s, s) for s in claim.speakers)
    out.records[key] = {
        "record": "claim",
        "speakers": speakers,
        "quote": claim.quote,
        "statement": claim.statement,
        "evidence": claim.evidence,
        "alignment": claim.alignment,
        "note": claim.note,
    }
    colour = colours.get(claim.speakers[0]) if claim.speakers else None
    if claim.span:
        out.marks.append(Mark(*claim.span, "claim", key, f"claim by {speakers}", colour))
    for speaker in claim.speakers:
        out.link(f"{n}-a-{speaker}", key)
    out.items.append(Item(key, "claim", n, speakers, short(claim.statement), colour))


def _meeting(out: Catalog, n: int, i: int, meeting: Meeting, names: dict[str, str]) -> None:
    key = f"{n}-m-{i}"
    parties = ", ".join(names.get(p, p) for p in meeting.participants)
    mediators = ", ".join(names.get(p, p) for p in meeting.mediators)
    out.records[key] = {
        "record": "meeting",
        "participants": parties,
        "mediators": mediators,
        "status": meeting.status,
        "format": meeting.format,
        "date": meeting.date,
        "date_text": meeting.date_text,
        "location": meeting.location,
        "topic": meeting.topic,
        "evidence": meeting.evidence,
        "alignment": meeting.alignment,
        "note": meeting.note,
    }
    label = parties + (f" via {mediators}" if mediators else "")
    if meeting.span:
        out.marks.append(Mark(*meeting.span, "meeting", key, f"meeting: {label}", None))
    for party in [*meeting.participants, *meeting.mediators]:
        out.link(f"{n}-a-{party}", key)
    when = meeting.date or meeting.date_text or ""
    detail = " · ".join(x for x in (meeting.status, when, meeting.location or "") if x)
    out.items.append(Item(key, "meeting", n, label, detail, None))
