"""Pydantic models: the single source of truth for the LLM schema, the output and gold.

Two layers, both here so they cannot drift apart:

* `Article`, `Actor`, `Claim`, `Meeting` are the records of RECORDS.md §1, field for
  field, plus what code adds (spans, mentions, alignment status, rejected items,
  run metadata). Gold files validate against the same models.
* `*Draft` models are what the LLM fills. They hold only what a model must decide;
  everything code can compute (spans, dates, title, language) is left out, because
  every output token costs ~0.1 s on a CPU. Evidence is a sentence number, so a
  claim is grounded by construction. The draft validators check references and
  grounding against the article being extracted (held in a ContextVar, never
  passed through Instructor's templating `context=`) so that a failure becomes a
  precise re-ask message.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

ActorKind = Literal["person", "organization", "country", "media", "group"]
QuoteKind = Literal["direct", "indirect"]
MeetingStatus = Literal["held", "ongoing", "planned", "cancelled"]
MeetingFormat = Literal["direct", "indirect", "unknown"]
Alignment = Literal["exact", "normalized", "fuzzy", "sentence", "none"]

Span = tuple[int, int]
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
ActorId = Annotated[str, StringConstraints(min_length=1, max_length=40)]


# ---------------------------------------------------------------- output records


class Actor(BaseModel):
    """A person, organization, country, media outlet or group in the article."""

    id: str
    name: str
    name_en: str
    kind: ActorKind
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)
    alignment: Alignment = "exact"
    note: str | None = None


class Claim(BaseModel):
    """A statement attributed to a source other than the outlet's narration."""

    speakers: list[str] = Field(min_length=1)
    statement: str
    evidence: str
    quote: QuoteKind
    span: Span | None = None
    alignment: Alignment = "exact"
    note: str | None = None


class Meeting(BaseModel):
    """A meeting, talk, negotiation, visit or summit: held, ongoing, planned or cancelled."""

    participants: list[str] = Field(min_length=2)
    mediators: list[str] = Field(default_factory=list)
    status: MeetingStatus
    format: MeetingFormat = "unknown"
    date: str | None = None
    date_text: str | None = None
    location: str | None = None
    topic: str | None = None
    evidence: str
    span: Span | None = None
    alignment: Alignment = "exact"
    note: str | None = None

    @model_validator(mode="after")
    def _date_shape(self) -> Meeting:
        if self.date is not None and not DATE_RE.match(self.date):
            raise ValueError(f"meeting date {self.date!r} is not YYYY-MM-DD or YYYY-MM")
        return self


class Rejected(BaseModel):
    """An item the model produced that could not be grounded or repaired: kept, not dropped."""

    kind: Literal["actor", "claim", "meeting"]
    reason: str
    item: dict[str, object]


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens


class ExtractionMeta(BaseModel):
    """How this record was made: enough to reproduce it and to account for its cost."""

    model: str
    base_url: str | None = None
    mode: str
    prompt: str
    prompt_hash: str
    schema_hash: str
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    latency_s: float = 0.0
    llm_s: float = 0.0
    chunks: int = 1


class Article(BaseModel):
    """One article of the input, with every item tied to the input span that states it."""

    model_config = ConfigDict(extra="allow")

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    language: str = "und"
    actors: list[Actor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    span: Span | None = None
    rejected: list[Rejected] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    meta: ExtractionMeta | None = None

    @model_validator(mode="after")
    def _references(self) -> Article:
        if self.published is not None and not DAY_RE.match(self.published):
            raise ValueError(f"published {self.published!r} is not YYYY-MM-DD")
        ids = [a.id for a in self.actors]
        if len(ids) != len(set(ids)):
            raise ValueError("actor ids are not unique")
        known = set(ids)
        for actor in self.actors:
            if actor.affiliation is not None and actor.affiliation not in known:
                raise ValueError(f"actor {actor.id!r} affiliation {actor.affiliation!r} unknown")
        for claim in self.claims:
            missing = set(claim.speakers) - known
            if missing:
                raise ValueError(f"claim speakers {sorted(missing)} are not actor ids")
        for meeting in self.meetings:
            missing = (set(meeting.participants) | set(meeting.mediators)) - known
            if missing:
                raise ValueError(f"meeting actors {sorted(missing)} are not actor ids")
        return self


class Document(BaseModel):
    """An input text and its articles: the shape of gold and prediction files."""

    id: str
    text_file: str | None = None
    sha256: str | None = None
    language: str | None = None
    articles: list[Article] = Field(default_factory=list)


# ---------------------------------------------------------------- what the LLM fills


@dataclass
class DraftContext:
    """The article a draft is validated against; set per call through `draft_context`."""

    sentences: list[str]
    text: str
    first: int = 1
    strict: bool = True
    find_name: object = None  # callable(str) -> bool, supplied by grounding
    actors: list[ActorDraft] = field(default_factory=list)  # step one's, for step two
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


draft_context: ContextVar[DraftContext | None] = ContextVar("draft_context", default=None)

ShortText = Annotated[str, StringConstraints(max_length=120)]


def _drop_repeats(data: object) -> object:
    """Drop exact repeats from the lists of a draft: a small model's loop, not information.

    The count is written to the draft context, so the result says that it happened.
    """
    if not isinstance(data, dict):
        return data
    ctx = draft_context.get()
    for key in ("actors", "claims", "meetings"):
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
            if ctx is not None:
                ctx.repairs.append(f"dropped {len(items) - len(kept)} repeated {key}")
            data = {**data, key: kept}
    return data


def _none_words(value: object) -> object:
    """Small models write the string "null" where they mean null."""
    if isinstance(value, str) and value.strip().lower() in {"", "null", "none", "n/a", "unknown"}:
        return None
    return value


OptText = Annotated[ShortText | None, BeforeValidator(_none_words)]
OptId = Annotated[ActorId | None, BeforeValidator(_none_words)]


class ActorDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: ActorId = Field(description="short lowercase id")
    name: ShortText = Field(description="name copied exactly from the text")
    name_en: ShortText = Field(description="English name, or a short description if unnamed")
    kind: ActorKind
    role: OptText = Field(None, description="title or position as written")
    affiliation: OptId = Field(None, description="id of the actor's country or organization")
    anonymous: bool = False
    aliases: list[ShortText] = Field(default_factory=list, max_length=3)


class ClaimDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speakers: list[ActorId] = Field(min_length=1, max_length=3, description="actor ids")
    statement: Annotated[str, StringConstraints(max_length=240)] = Field(
        description="what is asserted, short, in the article's language"
    )
    sentence: int = Field(description="number of the sentence that states it")
    quote: QuoteKind


class MeetingDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    participants: list[ActorId] = Field(min_length=2, max_length=6, description="actor ids")
    mediators: list[ActorId] = Field(default_factory=list, max_length=3)
    status: MeetingStatus
    format: MeetingFormat = "unknown"
    date_text: OptText = Field(None, description="date expression as written")
    location: OptText = None
    topic: OptText = None
    sentence: int = Field(description="number of the sentence that states it")


class ArticleDraft(BaseModel):
    """What the model extracts from one numbered article (or chunk of one)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _repeats(cls, data: object) -> object:
        return _drop_repeats(data)

    outlet: OptText = Field(None, description="publisher named in the text")
    dateline: OptText = Field(None, description="dateline place as written")
    actors: list[ActorDraft] = Field(default_factory=list, max_length=16)
    claims: list[ClaimDraft] = Field(default_factory=list, max_length=14)
    meetings: list[MeetingDraft] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _check_against_article(self) -> ArticleDraft:
        return _check(self, self)


class ActorsDraft(BaseModel):
    """Step one of the two-step strategy: who is in the article (12 at most per chunk)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _repeats(cls, data: object) -> object:
        return _drop_repeats(data)

    outlet: OptText = Field(None, description="publisher named in the text")
    dateline: OptText = Field(None, description="dateline place as written")
    actors: list[ActorDraft] = Field(default_factory=list, max_length=12)

    @model_validator(mode="after")
    def _check_against_article(self) -> ActorsDraft:
        return _check(self, ArticleDraft.model_construct(
            outlet=None, dateline=None, actors=self.actors, claims=[], meetings=[]))


class EventsDraft(BaseModel):
    """Step two: claims and meetings, citing the actor ids of step one."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _repeats(cls, data: object) -> object:
        return _drop_repeats(data)

    claims: list[ClaimDraft] = Field(default_factory=list, max_length=14)
    meetings: list[MeetingDraft] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _check_against_article(self) -> EventsDraft:
        ctx = draft_context.get()
        return _check(self, ArticleDraft.model_construct(
            outlet=None, dateline=None, actors=list(ctx.actors) if ctx else [],
            claims=self.claims, meetings=self.meetings), check_names=False)


def _check(draft: BaseModel, full: ArticleDraft, *, check_names: bool = True) -> Any:
    """Turn every reference or grounding problem into one precise re-ask message."""
    ctx = draft_context.get()
    if ctx is None:
        return draft
    problems = draft_problems(full, ctx, check_names=check_names)
    ctx.problems = problems
    if problems and ctx.strict:
        raise ValueError("; ".join(problems[:12]))
    return draft


def draft_problems(draft: ArticleDraft, ctx: DraftContext, *, check_names: bool = True
                   ) -> list[str]:
    """List what is wrong with a draft, phrased as instructions the model can act on."""
    problems: list[str] = []
    ids = [a.id for a in draft.actors]
    known = set(ids)
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"actor ids must be unique: {dupes}")
    find = ctx.find_name if check_names else None
    for actor in draft.actors:
        if check_names and actor.affiliation is not None and actor.affiliation not in known:
            problems.append(
                f"actor {actor.id} affiliation '{actor.affiliation}' is not an actor id")
        if callable(find) and not find(actor.name):
            problems.append(f"actor {actor.id} name '{actor.name}' is not in the text")
    lo, hi = ctx.first, ctx.first + len(ctx.sentences) - 1
    for i, claim in enumerate(draft.claims, 1):
        unknown = [s for s in claim.speakers if s not in known]
        if unknown:
            problems.append(f"claim {i} speakers {unknown} are not actor ids")
        if not lo <= claim.sentence <= hi:
            problems.append(f"claim {i} sentence {claim.sentence} is not between {lo} and {hi}")
    for i, meeting in enumerate(draft.meetings, 1):
        unknown = [p for p in meeting.participants + meeting.mediators if p not in known]
        if unknown:
            problems.append(f"meeting {i} actors {unknown} are not actor ids")
        if len(set(meeting.participants)) < 2:
            problems.append(f"meeting {i} needs two different participants")
        if not lo <= meeting.sentence <= hi:
            problems.append(f"meeting {i} sentence {meeting.sentence} is not between {lo} and {hi}")
    return problems
