"""The record contract of RECORDS.md §1, written once: output, gold and prediction files.

`Article`, `Actor`, `Claim` and `Meeting` are the records field for field, plus what
code adds (spans, mentions, alignment status, rejected items, run metadata).
`Document` is the shape of a gold file and of a prediction file, so the labeler's
records, the extractor's output and the scorer's input are checked by one set of
validators: enums, the date shape (with a calendar check) and id references are
defined here and nowhere else. What the LLM fills lives in `drafts.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

ActorKind = Literal["person", "organization", "country", "media", "group"]
QuoteKind = Literal["direct", "indirect"]
MeetingStatus = Literal["held", "ongoing", "planned", "cancelled"]
MeetingFormat = Literal["direct", "indirect", "unknown"]
Alignment = Literal["exact", "normalized", "fuzzy"]
RecordKind = Literal["actor", "claim", "meeting"]

Span = tuple[int, int]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


def is_date(value: str, *, month_ok: bool = False) -> bool:
    """YYYY-MM-DD (or YYYY-MM when `month_ok`) naming a real calendar day or month.

    ASCII digits only and the whole string: "2023-02-30", "2023-10-09\\n" and
    Arabic-Indic digits are as wrong as "9 Oct".
    """
    if not value.isascii():
        return False
    if _DAY.fullmatch(value):
        fmt = "%Y-%m-%d"
    elif month_ok and _MONTH.fullmatch(value):
        fmt = "%Y-%m"
    else:
        return False
    try:
        dt.datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


class Actor(BaseModel):
    """A person, organization, country, media outlet or group in the article."""

    id: NonEmpty
    name: NonEmpty
    name_en: NonEmpty
    kind: ActorKind
    role: str | None = None
    affiliation: str | None = None
    anonymous: StrictBool = False
    aliases: list[NonEmpty] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)
    alignment: Alignment = "exact"
    note: str | None = None


class Claim(BaseModel):
    """A statement attributed to a source other than the outlet's narration."""

    speakers: list[str] = Field(min_length=1)
    statement: NonEmpty
    evidence: NonEmpty
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
    evidence: NonEmpty
    span: Span | None = None
    alignment: Alignment = "exact"
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Meeting:
        if self.date is not None and not is_date(self.date, month_ok=True):
            raise ValueError(f"meeting date {self.date!r} is not a real YYYY-MM-DD or YYYY-MM")
        if len(set(self.participants)) < 2:
            raise ValueError("a meeting needs two different participants")
        return self


class Rejected(BaseModel):
    """An item the model produced that could not be grounded or repaired: kept, not dropped."""

    kind: RecordKind
    reason: str
    item: dict[str, object]


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class ExtractionMeta(BaseModel):
    """How this record was made: enough to reproduce it and to account for its cost."""

    model: str
    base_url: str | None = None
    mode: str
    prompt: str
    prompt_hash: str
    schema_hash: str
    strategy: str = "two-step"
    lexicon_hash: str | None = None
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    latency_s: float = 0.0
    llm_s: float = 0.0
    chunks: int = 1
    version: str | None = None  # of the package that made the record (extractor-news)
    rules_off: list[str] = Field(default_factory=list)  # named cue rules switched off (rulebook)


class ArticleError(BaseModel):
    """Why an article could not be extracted; its neighbours in the input still were."""

    type: str  # the error class, e.g. "TransportError"
    message: str
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 0


class Article(BaseModel):
    """One article of the input, with every item tied to the input span that states it."""

    model_config = ConfigDict(extra="allow")

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    language: NonEmpty = "und"
    actors: list[Actor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    span: Span | None = None
    rejected: list[Rejected] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    meta: ExtractionMeta | None = None
    error: ArticleError | None = None  # set on a failed article, which then has no items

    @model_validator(mode="after")
    def _references(self) -> Article:
        if self.published is not None and not is_date(self.published):
            raise ValueError(f"published {self.published!r} is not a real YYYY-MM-DD")
        ids = [a.id for a in self.actors]
        if len(ids) != len(set(ids)):
            raise ValueError("actor ids are not unique")
        known = set(ids)
        for actor in self.actors:
            if actor.affiliation is not None and (
                actor.affiliation not in known or actor.affiliation == actor.id
            ):
                raise ValueError(
                    f"actor {actor.id!r} affiliation {actor.affiliation!r} is not another actor"
                )
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
    """An input text and its articles: the shape of gold files and of prediction files."""

    id: NonEmpty
    text_file: str | None = None
    sha256: str | None = None
    language: str | None = None
    articles: list[Article] = Field(default_factory=list)


def unique_id(wanted: str, taken: set[str]) -> str:
    """A slug of `wanted` that is not in `taken` ("borg", then "borg-2")."""
    base = re.sub(r"[^\w-]+", "-", wanted.strip().lower()).strip("-")[:40] or "actor"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
