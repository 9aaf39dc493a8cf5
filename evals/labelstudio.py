"""Predictions to Label Studio tasks and corrected annotations back to gold files.

A task is one input text (`data.text`) with the extractor's records as a prediction
(`predictions[0].result`), which Label Studio shows as pre-annotations to correct:

* every actor mention is a `labels` region "Actor"; the regions of one actor share
  its id in the per-region text field `actor_id`, and the region of its name carries
  its fields (`name_en`, `kind`, `role`, `affiliation`, `anonymous`); its other
  regions' texts become its aliases;
* a claim is a region "Claim" over its evidence, with `quote` and `statement`, and a
  `speaker` relation from an actor region to it;
* a meeting is a region "Meeting" with `status`, `format`, `date`, `date_text`,
  `location`, `topic`, and `participant` / `mediator` relations from actor regions.

Articles (their span, title, date, outlet, dateline) travel in `data.articles`; a
region belongs to the article whose span holds its start. Label Studio counts text
offsets in UTF-16 code units (JavaScript strings), Python in code points: `Offsets`
converts both ways, so a text with an emoji keeps its spans. The labeling config that
reads these tasks is `labelstudio.xml`, beside this module.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from extractor.models import Actor, Article, Span

FROM, TO = "label", "text"  # the Labels and Text tags of the config
ACTOR_FIELDS = ("name_en", "role", "affiliation")
MEETING_FIELDS = ("date", "date_text", "location", "topic")
ARTICLE_FIELDS = ("title", "published", "outlet", "dateline", "language")


def label_config() -> str:
    """The Label Studio labeling config (XML) for these tasks."""
    return resources.files("evals").joinpath("labelstudio.xml").read_text(encoding="utf-8")


class Offsets:
    """Python string offsets <-> UTF-16 offsets (Label Studio's) of one text."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_js(self, i: int) -> int:
        return i + bisect_right(self.astral, i - 1)

    def to_py(self, j: int) -> int:
        """The code-point offset of a UTF-16 offset; ValueError inside a surrogate pair."""
        i = j
        for _ in range(len(self.astral) + 1):  # a fixed point: i + (astral chars before i) == j
            back = j - bisect_right(self.astral, i - 1)
            if back == i:
                return i
            i = back
        raise ValueError(f"offset {j} falls inside a character outside the BMP")


@dataclass(frozen=True)
class Source:
    """One input to annotate: its id, text, file name, digest and predicted articles."""

    id: str
    text: str
    text_file: str
    sha256: str
    articles: Sequence[Article]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ export


class _Result:
    """The result list of one task, regions and relations, in UTF-16 offsets."""

    def __init__(self, text: str) -> None:
        self.text, self.offsets = text, Offsets(text)
        self.items: list[dict[str, Any]] = []
        self.regions: dict[str, dict[str, Any]] = {}

    def region(self, rid: str, span: Span, label: str) -> None:
        start, end = span
        value = {"start": self.offsets.to_js(start), "end": self.offsets.to_js(end)}
        self.regions[rid] = {
            "id": rid,
            "from_name": FROM,
            "to_name": TO,
            "type": "labels",
            "value": {**value, "text": self.text[start:end], "labels": [label]},
        }
        self.items.append(self.regions[rid])

    def field(self, rid: str, name: str, value: str | None, *, choice: bool = False) -> None:
        """A per-region answer: a text field, or one choice of a `Choices` tag."""
        if value is None or value == "":
            return
        where = {k: self.regions[rid]["value"][k] for k in ("start", "end", "text")}
        kind, answer = (
            ("choices", {"choices": [value]}) if choice else ("textarea", {"text": [value]})
        )
        self.items.append(
            {
                "id": rid,
                "from_name": name,
                "to_name": TO,
                "type": kind,
                "value": {**where, **answer},
            }
        )

    def relation(self, from_id: str, to_id: str, label: str) -> None:
        self.items.append(
            {
                "type": "relation",
                "from_id": from_id,
                "to_id": to_id,
                "direction": "right",
                "labels": [label],
            }
        )


def _actor_regions(res: _Result, n: int, actor: Actor, j: int) -> list[tuple[str, Span]]:
    """The actor's regions; the one over its name (else its first mention) holds its fields."""
    spans = sorted(set(actor.mentions))
    if not spans:  # an actor never located: its name's first place in the text, if any
        at = res.text.find(actor.name)
        spans = [(at, at + len(actor.name))] if at >= 0 else []
    regions = [(f"a{n}-{j}-{k}", span) for k, span in enumerate(spans)]
    for rid, span in regions:
        res.region(rid, span, "Actor")
        res.field(rid, "actor_id", actor.id)
    if regions:
        head = next((r for r in regions if res.text[r[1][0] : r[1][1]] == actor.name), regions[0])
        for name in ACTOR_FIELDS:
            res.field(head[0], name, getattr(actor, name))
        res.field(head[0], "kind", actor.kind, choice=True)
        res.field(head[0], "anonymous", "anonymous" if actor.anonymous else None, choice=True)
    return regions


def _nearest(regions: list[tuple[str, Span]], span: Span) -> str:
    """The actor region to draw a relation from: inside the record's span, else the closest."""
    return min(regions, key=lambda r: (not (span[0] <= r[1][0] < span[1]), abs(r[1][0] - span[0])))[
        0
    ]


def _records(
    res: _Result, n: int, article: Article, actors: dict[str, list[tuple[str, Span]]]
) -> None:
    for i, claim in enumerate(article.claims):
        if claim.span is None:
            continue
        rid = f"c{n}-{i}"
        res.region(rid, claim.span, "Claim")
        res.field(rid, "quote", claim.quote, choice=True)
        res.field(rid, "statement", claim.statement)
        for speaker in claim.speakers:
            if actors.get(speaker):
                res.relation(_nearest(actors[speaker], claim.span), rid, "speaker")
    for i, meeting in enumerate(article.meetings):
        if meeting.span is None:
            continue
        rid = f"m{n}-{i}"
        res.region(rid, meeting.span, "Meeting")
        res.field(rid, "status", meeting.status, choice=True)
        res.field(rid, "format", meeting.format, choice=True)
        for name in MEETING_FIELDS:
            res.field(rid, name, getattr(meeting, name))
        roles = [(p, "participant") for p in meeting.participants]
        for actor, role in [*roles, *((p, "mediator") for p in meeting.mediators)]:
            if actors.get(actor):
                res.relation(_nearest(actors[actor], meeting.span), rid, role)


def to_task(source: Source, model_version: str = "") -> dict[str, Any]:
    """One Label Studio task: the text, its articles, and the records as a prediction."""
    res = _Result(source.text)
    articles = []
    for n, article in enumerate(source.articles):
        actors = {a.id: _actor_regions(res, n, a, j) for j, a in enumerate(article.actors)}
        _records(res, n, article, actors)
        span = article.span or (0, len(source.text))
        meta = {k: getattr(article, k) for k in ARTICLE_FIELDS}
        articles.append({**meta, "span": [res.offsets.to_js(span[0]), res.offsets.to_js(span[1])]})
    data = {
        "text": source.text,
        "doc_id": source.id,
        "text_file": source.text_file,
        "sha256": source.sha256,
        "text_sha256": digest(source.text),
        "language": source.articles[0].language if source.articles else "und",
        "articles": articles,
    }
    return {"data": data, "predictions": [{"model_version": model_version, "result": res.items}]}


# ------------------------------------------------------------------ import


class AnnotationError(ValueError):
    """A task's annotation cannot become a gold file; the message lists every reason."""


@dataclass
class _Region:
    id: str
    label: str
    span: Span
    text: str
    fields: dict[str, str]


def _read_result(result: Sequence[Any], text: str) -> tuple[dict[str, _Region], list[Any]]:
    """The regions (with their per-region answers) and the relations of one annotation."""
    offsets, regions, answers, relations = Offsets(text), {}, [], []
    for item in result:
        if not isinstance(item, dict):
            raise AnnotationError(f"a result item is not an object: {item!r:.80}")
        kind, value = item.get("type"), item.get("value") or {}
        if kind == "relation":
            relations.append(item)
        elif kind == "labels":
            start, end = offsets.to_py(int(value["start"])), offsets.to_py(int(value["end"]))
            label = (value.get("labels") or ["?"])[0]
            regions[str(item["id"])] = _Region(
                str(item["id"]), label, (start, end), text[start:end], {}
            )
        elif kind in ("textarea", "choices"):
            answers.append(item)
    for item in answers:
        region = regions.get(str(item.get("id")))
        got = item["value"].get("text" if item["type"] == "textarea" else "choices") or []
        if region is not None and got and str(got[0]).strip():
            region.fields[str(item["from_name"])] = str(got[0]).strip()
    return regions, relations


def _article_of(span: Span, articles: Sequence[dict[str, Any]], offsets: Offsets) -> int:
    starts = [offsets.to_py(int(a["span"][0])) for a in articles]
    return max(0, bisect_right(starts, span[0]) - 1)


def _links(regions: dict[str, _Region], relations: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """Record region id -> [(actor region id, role)], whichever way the arrow was drawn."""
    out: dict[str, list[tuple[str, str]]] = {}
    for rel in relations:
        a, b = regions.get(str(rel.get("from_id"))), regions.get(str(rel.get("to_id")))
        if a is None or b is None:
            continue
        actor, record = (a, b) if a.label == "Actor" else (b, a)
        if actor.label != "Actor" or record.label not in ("Claim", "Meeting"):
            continue
        default = "speaker" if record.label == "Claim" else "participant"
        out.setdefault(record.id, []).append((actor.id, (rel.get("labels") or [default])[0]))
    return out


def _actors(
    regions: list[_Region], problems: list[str]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The actors of one article from its Actor regions, and region id -> actor id."""
    groups: dict[str, list[_Region]] = {}
    ids: dict[str, str] = {}
    for r in sorted(regions, key=lambda r: r.span):
        actor_id = r.fields.get("actor_id")
        if not actor_id:
            problems.append(f"Actor region {r.text!r} at {list(r.span)} has no actor_id")
            continue
        groups.setdefault(actor_id, []).append(r)
        ids[r.id] = actor_id
    actors = []
    for actor_id, group in groups.items():
        head = next((r for r in group if "kind" in r.fields), None)
        if head is None:
            problems.append(f"actor {actor_id!r}: no region of it has a kind")
            continue
        aliases = list(dict.fromkeys(r.text for r in group if r.text != head.text))
        actors.append(
            {
                "id": actor_id,
                "name": head.text,
                "name_en": head.fields.get("name_en") or head.text,
                "kind": head.fields["kind"],
                "anonymous": head.fields.get("anonymous") == "anonymous",
                "aliases": aliases,
                "mentions": [list(r.span) for r in group],
                **{k: head.fields.get(k) for k in ("role", "affiliation")},
            }
        )
    return actors, ids


def _claim(r: _Region, links: list[tuple[str, str]], ids: dict[str, str]) -> dict[str, Any]:
    speakers = [ids[a] for a, role in links if role == "speaker" and a in ids]
    return {
        "speakers": list(dict.fromkeys(speakers)),
        "statement": r.fields.get("statement") or r.text,
        "evidence": r.text,
        "quote": r.fields.get("quote"),
        "span": list(r.span),
    }


def _meeting(r: _Region, links: list[tuple[str, str]], ids: dict[str, str]) -> dict[str, Any]:
    def who(role: str) -> list[str]:
        return list(dict.fromkeys(ids[a] for a, got in links if got == role and a in ids))

    return {
        "participants": who("participant"),
        "mediators": who("mediator"),
        "status": r.fields.get("status"),
        "format": r.fields.get("format") or "unknown",
        **{k: r.fields.get(k) for k in MEETING_FIELDS},
        "evidence": r.text,
        "span": list(r.span),
    }


def gold_of(task: dict[str, Any], result: Sequence[Any]) -> dict[str, Any]:
    """A gold document (RECORDS.md §2) from one task and its annotation's result."""
    data = task.get("data") or {}
    text, articles = data.get("text"), data.get("articles") or []
    if not isinstance(text, str) or not articles:
        raise AnnotationError("the task has no data.text or no data.articles (not exported here?)")
    if data.get("text_sha256") and digest(text) != data["text_sha256"]:
        raise AnnotationError("data.text was changed after export: spans would point elsewhere")
    try:
        regions, relations = _read_result(result, text)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnnotationError(f"a region cannot be read ({type(exc).__name__}: {exc})") from exc
    offsets, links = Offsets(text), _links(regions, relations)
    problems: list[str] = []
    by_article: list[list[_Region]] = [[] for _ in articles]
    for r in regions.values():
        by_article[_article_of(r.span, articles, offsets)].append(r)
    out = []
    for meta, mine in zip(articles, by_article, strict=True):
        actors, ids = _actors([r for r in mine if r.label == "Actor"], problems)
        records = sorted((r for r in mine if r.label in ("Claim", "Meeting")), key=lambda r: r.span)
        out.append(
            {
                **{k: meta.get(k) for k in ARTICLE_FIELDS},
                "actors": actors,
                "claims": [
                    _claim(r, links.get(r.id, []), ids) for r in records if r.label == "Claim"
                ],
                "meetings": [
                    _meeting(r, links.get(r.id, []), ids) for r in records if r.label == "Meeting"
                ],
            }
        )
    if problems:
        raise AnnotationError("; ".join(problems))
    return {
        "id": data.get("doc_id"),
        "text_file": data.get("text_file"),
        "sha256": data.get("sha256"),
        "language": data.get("language"),
        "articles": out,
    }
