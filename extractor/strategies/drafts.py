"""What the LLM fills, and what is wrong with it: shapes here, problems as a pure function.

Drafts hold only what a model must decide; everything code can compute (spans,
dates, title, language) is left out, because every output token costs ~0.1 s on a
CPU. Evidence is a sentence number, so a claim is grounded by construction.

Validation has two halves, kept apart on purpose:

* the draft models check shape only (types, enums, list limits), so any parser,
  Instructor included, can validate them without context;
* `actor_problems` / `event_problems` check references and grounding against the
  chunk being extracted, passed explicitly as a `Chunk`. Their messages are
  phrased as instructions the model can act on in a re-ask.

A small model's loops (the same item repeated) are dropped while parsing, and the
draft says so in `repairs`, so the result can report it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from ..models import ActorKind, MeetingFormat, MeetingStatus, QuoteKind
from ..text.grounding import TextIndex
from ..text.normalize import normalize
from ..text.segment import Sentence

# List limits of one chunk's answer: bounded arrays stop repetition loops early.
MAX_ACTORS = 12
MAX_CLAIMS = 14
MAX_MEETINGS = 6
MAX_ALIASES = 3
MAX_SPEAKERS = 3
MAX_PARTICIPANTS = 6
MAX_MEDIATORS = 3
LIST_LIMITS = {"actors": MAX_ACTORS, "claims": MAX_CLAIMS, "meetings": MAX_MEETINGS}

ActorId = Annotated[str, StringConstraints(min_length=1, max_length=40)]
ShortText = Annotated[str, StringConstraints(max_length=120)]


def _none_words(value: object) -> object:
    """Small models write the string "null" where they mean null."""
    if isinstance(value, str) and value.strip().lower() in {"", "null", "none", "n/a", "unknown"}:
        return None
    return value


NOT_A_NUMBER = 0  # what a sentence "number" that is not an integer becomes: no sentence


def _sentence_number(value: object) -> object:
    """Only a JSON integer is a sentence number: `true` or `"2"` cites no sentence.

    Lax parsing would read `true` as 1 and `"2"` as 2, pinning the item to evidence
    the model never gave. Such a value becomes 0, a number no sentence has, so the
    item is re-asked about and, if it stays, rejected ("sentence number out of
    range"), never kept. The JSON schema is unchanged (an integer).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return NOT_A_NUMBER
    return value


SentenceNumber = Annotated[int, BeforeValidator(_sentence_number)]
OptText = Annotated[ShortText | None, BeforeValidator(_none_words)]
OptId = Annotated[ActorId | None, BeforeValidator(_none_words)]


def drop_repeats(data: object) -> tuple[object, list[str]]:
    """`data` without exact repeats in its lists, and a note per list that had some."""
    if not isinstance(data, dict):
        return data, []
    repairs = []
    for key in LIST_LIMITS:
        items = data.get(key)
        if not isinstance(items, list):
            continue
        seen: set[str] = set()
        kept = []
        for item in items:
            marker = repr(sorted(item.items())) if isinstance(item, dict) else repr(item)
            if marker not in seen:
                seen.add(marker)
                kept.append(item)
        if len(kept) < len(items):
            repairs.append(f"dropped {len(items) - len(kept)} repeated {key}")
            data = {**data, key: kept}
    return data, repairs


class ActorDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ActorId = Field(description="short lowercase id")
    name: ShortText = Field(description="name copied exactly from the text")
    name_en: ShortText = Field(description="English name, or a short description if unnamed")
    kind: ActorKind
    role: OptText = Field(None, description="title or position as written")
    affiliation: OptId = Field(None, description="id of the actor's country or organization")
    anonymous: bool = False
    aliases: list[ShortText] = Field(default_factory=list, max_length=MAX_ALIASES)


class ClaimDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speakers: list[ActorId] = Field(min_length=1, max_length=MAX_SPEAKERS, description="actor ids")
    statement: Annotated[str, StringConstraints(max_length=240)] = Field(
        description="what is asserted, short, in the article's language"
    )
    sentence: SentenceNumber = Field(description="number of the sentence that states it")
    quote: QuoteKind


class MeetingDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: list[ActorId] = Field(
        min_length=2, max_length=MAX_PARTICIPANTS, description="actor ids"
    )
    mediators: list[ActorId] = Field(default_factory=list, max_length=MAX_MEDIATORS)
    status: MeetingStatus
    format: MeetingFormat = "unknown"
    date_text: OptText = Field(None, description="date expression as written")
    location: OptText = None
    topic: OptText = None
    sentence: SentenceNumber = Field(description="number of the sentence that states it")


class _Answer(BaseModel):
    """One LLM answer: repeats dropped while parsing, and recorded in `repairs`."""

    model_config = ConfigDict(extra="forbid")
    _repairs: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _drop_repeats(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Self:
        data, repairs = drop_repeats(data)
        draft: Self = handler(data)
        draft._repairs = repairs
        return draft

    @property
    def repairs(self) -> list[str]:
        return list(self._repairs)


class ActorsDraft(_Answer):
    """Step one of the two-step strategy: who is in the article (12 at most per chunk)."""

    outlet: OptText = Field(None, description="publisher named in the text")
    dateline: OptText = Field(None, description="dateline place as written")
    actors: list[ActorDraft] = Field(default_factory=list, max_length=MAX_ACTORS)


class NameDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(description="name copied exactly from the text")
    kind: ActorKind


class NamesDraft(_Answer):
    """The `cues` strategy's one question: the named actors of a chunk, and nothing more.

    Two fields per actor, because output tokens are the cost: ids, English names,
    roles and affiliations are code's work (the gazetteer, the cue stage's appositions
    and coreference), and unnamed sources come from the cue stage, not the model.
    """

    outlet: OptText = Field(None, description="publisher named in the text")
    dateline: OptText = Field(None, description="dateline place as written")
    actors: list[NameDraft] = Field(default_factory=list, max_length=MAX_ACTORS)

    def as_actors(self) -> ActorsDraft:
        """The same answer as step one's shape, with ids made from the names."""
        actors: list[ActorDraft] = []
        seen: set[str] = set()
        for item in self.actors:
            base = re.sub(r"[^\w]+", "-", normalize(item.name)).strip("-")[:36] or "actor"
            aid, n = base, 2
            while aid in seen:
                aid, n = f"{base}-{n}", n + 1
            seen.add(aid)
            actors.append(
                ActorDraft(
                    id=aid,
                    name=item.name,
                    name_en=item.name,
                    kind=item.kind,
                    role=None,
                    affiliation=None,
                )
            )
        draft = ActorsDraft(outlet=self.outlet, dateline=self.dateline, actors=actors)
        draft._repairs = self.repairs
        return draft


class EventsDraft(_Answer):
    """Step two: claims and meetings, citing the actor ids of step one."""

    claims: list[ClaimDraft] = Field(default_factory=list, max_length=MAX_CLAIMS)
    meetings: list[MeetingDraft] = Field(default_factory=list, max_length=MAX_MEETINGS)


@dataclass(frozen=True, kw_only=True)
class ChunkDraft:
    """Both steps' answers for one chunk: what `assemble` turns into records."""

    outlet: str | None = None
    dateline: str | None = None
    actors: Sequence[ActorDraft] = ()
    claims: Sequence[ClaimDraft] = ()
    meetings: Sequence[MeetingDraft] = ()


@dataclass(frozen=True, kw_only=True)
class Chunk:
    """The window of an article that one LLM call sees, as drafts are checked against it."""

    index: TextIndex  # the whole input, normalized once
    sentences: Sequence[Sentence]
    first: int = 1  # sentence numbers stay global across chunks

    @property
    def last(self) -> int:
        return self.first + len(self.sentences) - 1

    def has_name(self, name: str) -> bool:
        """Whether `name` is written (or nearly so) inside this chunk."""
        lo, hi = self.sentences[0].start, self.sentences[-1].end
        return self.index.find(name, lo, hi) is not None


def grounded_actors(draft: ActorsDraft, chunk: Chunk) -> list[ActorDraft]:
    """Step one's actors whose name or an alias is in the chunk, first of each id."""
    grounded, seen = [], set()
    for actor in draft.actors:
        if actor.id in seen or not any(chunk.has_name(n) for n in [actor.name, *actor.aliases]):
            continue
        seen.add(actor.id)
        grounded.append(actor)
    return grounded


def actor_problems(draft: ActorsDraft, chunk: Chunk, *, affiliations: bool = True) -> list[str]:
    """What is wrong with step one's answer, phrased as instructions the model can act on.

    `affiliations=False` leaves out dangling affiliations: where code maps them to the
    actors it knows and clears the rest, a re-ask for them only costs time.
    """
    ids = [a.id for a in draft.actors]
    problems = _duplicate_ids(ids)
    known = set(ids)
    for actor in draft.actors:
        if affiliations and actor.affiliation is not None and actor.affiliation not in known:
            problems.append(
                f"actor {actor.id} affiliation '{actor.affiliation}' is not an actor id"
            )
        if not chunk.has_name(actor.name):
            problems.append(f"actor {actor.id} name '{actor.name}' is not in the text")
    return problems


def event_problems(draft: EventsDraft, actor_ids: Sequence[str], chunk: Chunk) -> list[str]:
    """What is wrong with step two's answer, given step one's grounded actor ids."""
    problems = _duplicate_ids(list(actor_ids))
    known = set(actor_ids)
    lo, hi = chunk.first, chunk.last
    for i, claim in enumerate(draft.claims, 1):
        unknown = [s for s in claim.speakers if s not in known]
        if unknown:
            problems.append(f"claim {i} speakers {unknown} are not actor ids")
        if claim.sentence == NOT_A_NUMBER:
            problems.append(f"claim {i} sentence must be an integer between {lo} and {hi}")
        elif not lo <= claim.sentence <= hi:
            problems.append(f"claim {i} sentence {claim.sentence} is not between {lo} and {hi}")
    for i, meeting in enumerate(draft.meetings, 1):
        unknown = [p for p in meeting.participants + meeting.mediators if p not in known]
        if unknown:
            problems.append(f"meeting {i} actors {unknown} are not actor ids")
        if len(set(meeting.participants)) < 2:
            problems.append(f"meeting {i} needs two different participants")
        if meeting.sentence == NOT_A_NUMBER:
            problems.append(f"meeting {i} sentence must be an integer between {lo} and {hi}")
        elif not lo <= meeting.sentence <= hi:
            problems.append(f"meeting {i} sentence {meeting.sentence} is not between {lo} and {hi}")
    return problems


def _duplicate_ids(ids: list[str]) -> list[str]:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    return [f"actor ids must be unique: {dupes}"] if dupes else []


def item_key(field: str, item: object) -> str:
    """What makes two items of a cut-off answer the same (loop detection, not only bytes)."""
    if isinstance(item, dict):
        if field == "actors":
            return "a:" + normalize(str(item.get("name", "")))
        if field == "claims":
            return f"c:{item.get('sentence')}:{sorted(map(str, item.get('speakers') or []))}"
        if field == "meetings":
            return f"m:{item.get('sentence')}:{sorted(map(str, item.get('participants') or []))}"
    return json.dumps(item, sort_keys=True, ensure_ascii=False)
