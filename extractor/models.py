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


# Fields every grounded record has, described once.
EvidenceSpan = Annotated[
    Span | None, Field(description="Character span [start, end) of the evidence in the input.")
]
EvidenceFound = Annotated[
    Alignment,
    Field(description="How the evidence was found in the input: exact or after normalization."),
]
Note = Annotated[
    str | None, Field(description="Why a record was changed or kept, in words (or null).")
]


class Actor(BaseModel):
    """A person, organization, country, media outlet or group in the article."""

    id: NonEmpty = Field(
        description="Stable slug, unique in the article; claims and meetings refer to it."
    )
    name: NonEmpty = Field(
        description="The name as the text writes it (verbatim, in the article's language)."
    )
    name_en: NonEmpty = Field(
        description="The English name; the text's own spelling where no English name is known."
    )
    kind: ActorKind = Field(description="person, organization, country, media, group or other.")
    role: str | None = Field(
        default=None,
        description='Title or function the text gives ("foreign minister"), verbatim.',
    )
    affiliation: str | None = Field(
        default=None,
        description="Id of the actor this one belongs to or speaks for (a country, a movement).",
    )
    anonymous: StrictBool = Field(
        default=False, description='True for an unnamed source ("a senior official", "sources").'
    )
    aliases: list[NonEmpty] = Field(
        default_factory=list, description="Other forms the text uses for the same actor."
    )
    mentions: list[Span] = Field(
        default_factory=list,
        description="Character spans [start, end) of the input where the actor is named.",
    )
    alignment: Alignment = Field(
        default="exact",
        description="How the name was found in the input: exact or after normalization.",
    )
    note: Note = None


class Claim(BaseModel):
    """A statement attributed to a source other than the outlet's narration."""

    speakers: list[str] = Field(
        min_length=1,
        description="Ids of the actors who said it; a relay follows the original speaker.",
    )
    statement: NonEmpty = Field(description="What was said, as short as the text allows.")
    evidence: NonEmpty = Field(description="The input text that states the claim, verbatim.")
    quote: QuoteKind = Field(
        description="direct when most of it stands inside quotation marks, else indirect."
    )
    span: EvidenceSpan = None
    alignment: EvidenceFound = "exact"
    note: Note = None


class Meeting(BaseModel):
    """A meeting, talk, negotiation, visit or summit: held, ongoing, planned or cancelled."""

    participants: list[str] = Field(
        min_length=2,
        description="Ids of the parties that meet or talk (the host counts); at least two.",
    )
    mediators: list[str] = Field(
        default_factory=list,
        description="Ids of go-betweens, only when the text says someone mediates.",
    )
    status: MeetingStatus = Field(
        description="held, ongoing, planned or cancelled (cancelled covers talks that failed)."
    )
    format: MeetingFormat = Field(
        default="unknown", description="direct, indirect (through a mediator) or unknown."
    )
    date: str | None = Field(
        default=None, description="YYYY-MM-DD (or YYYY-MM) when the text dates the meeting."
    )
    date_text: str | None = Field(
        default=None, description='The date as the text writes it ("next Tuesday"), verbatim.'
    )
    location: str | None = Field(
        default=None, description="Where it takes place, as the text names it."
    )
    topic: str | None = Field(default=None, description="What it is about, in a few words.")
    evidence: NonEmpty = Field(description="The input text that states the meeting, verbatim.")
    span: EvidenceSpan = None
    alignment: EvidenceFound = "exact"
    note: Note = None

    @model_validator(mode="after")
    def _shape(self) -> Meeting:
        if self.date is not None and not is_date(self.date, month_ok=True):
            raise ValueError(f"meeting date {self.date!r} is not a real YYYY-MM-DD or YYYY-MM")
        if len(set(self.participants)) < 2:
            raise ValueError("a meeting needs two different participants")
        return self


class Rejected(BaseModel):
    """An item the model produced that could not be grounded or repaired: kept, not dropped."""

    kind: RecordKind = Field(description="actor, claim or meeting.")
    reason: str = Field(
        description="Why it could not be kept (not grounded, invalid reference, …)."
    )
    item: dict[str, object] = Field(description="The item as the model gave it.")


class Usage(BaseModel):
    prompt_tokens: int = Field(
        default=0, description="Prompt tokens of every LLM call made for the record."
    )
    completion_tokens: int = Field(
        default=0, description="Completion tokens of every LLM call made for the record."
    )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class ExtractionMeta(BaseModel):
    """How this record was made: enough to reproduce it and to account for its cost."""

    model: str = Field(description='Model name on the backend ("rules" when no model was called).')
    base_url: str | None = Field(
        default=None,
        description="The backend's URL, credentials removed (null for the embedded model).",
    )
    mode: str = Field(
        description="How structured output was asked for (json_schema, tools, …; none for rules)."
    )
    prompt: str = Field(description="Prompt version name.")
    prompt_hash: str = Field(description="Hash of the prompt's files.")
    schema_hash: str = Field(description="Hash of the draft schemas the model fills.")
    strategy: str = Field(default="two-step", description="rules, cues or two-step.")
    lexicon_hash: str | None = Field(
        default=None, description="Hash of the language packs used by the cue stages."
    )
    usage: Usage = Field(default_factory=Usage, description="Tokens spent on this article.")
    attempts: int = Field(default=0, description="Calls including validation re-asks.")
    llm_calls: int = Field(default=0, description="LLM calls made (cache hits excluded).")
    cache_hits: int = Field(default=0, description="Answers served from the disk cache.")
    latency_s: float = Field(default=0.0, description="Seconds this article took in all.")
    llm_s: float = Field(default=0.0, description="Seconds spent waiting for the model.")
    chunks: int = Field(default=1, description="Pieces the article was read in.")
    version: str | None = Field(
        default=None, description="Version of extractor-news that made the record."
    )
    rules_off: list[str] = Field(
        default_factory=list,
        description="Named cue rules switched off for this run (docs/rules.md).",
    )


class ArticleError(BaseModel):
    """Why an article could not be extracted; its neighbours in the input still were."""

    type: str = Field(description="The error class, e.g. TransportError.")
    message: str = Field(description="What went wrong, in words (no article text, no secrets).")
    usage: Usage = Field(default_factory=Usage, description="Tokens spent before it failed.")
    attempts: int = Field(default=0, description="Calls made before it failed.")


class Article(BaseModel):
    """One article of the input, with every item tied to the input span that states it."""

    model_config = ConfigDict(extra="allow")

    title: str | None = Field(default=None, description="The headline, verbatim.")
    published: str | None = Field(
        default=None, description="Publication date, YYYY-MM-DD, from the text or the caller."
    )
    outlet: str | None = Field(
        default=None, description="The publishing outlet as the text names it."
    )
    dateline: str | None = Field(default=None, description="The dateline place, verbatim.")
    language: NonEmpty = Field(
        default="und", description='ISO 639-1 code of the article\'s language ("und" when unknown).'
    )
    actors: list[Actor] = Field(default_factory=list, description="Who is involved.")
    claims: list[Claim] = Field(default_factory=list, description="Who said what.")
    meetings: list[Meeting] = Field(
        default_factory=list, description="Who met or will meet whom, where, when, through whom."
    )
    span: Span | None = Field(
        default=None, description="Character span [start, end) of this article in the input."
    )
    rejected: list[Rejected] = Field(
        default_factory=list,
        description="Items that could not be grounded or repaired, kept for inspection.",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What the run decided, in words (re-asks, cuts, strategy).",
    )
    meta: ExtractionMeta | None = Field(default=None, description="Provenance and cost.")
    error: ArticleError | None = Field(
        default=None, description="Set on a failed article, which then has no items."
    )

    def _repr_html_(self) -> str:
        """The record view in a notebook cell (`extractor.view`; imported late: it imports us)."""
        from .view import notebook_html  # noqa: PLC0415

        return notebook_html(self)

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

    id: NonEmpty = Field(description="The document's id (file stem or the caller's id).")
    text_file: str | None = Field(
        default=None, description="The input's file name, for gold and prediction files."
    )
    sha256: str | None = Field(default=None, description="SHA-256 of the input text.")
    language: str | None = Field(default=None, description="The document's language.")
    articles: list[Article] = Field(default_factory=list, description="Its articles, main first.")

    def _repr_html_(self) -> str:
        """The record view in a notebook cell (`extractor.view`; imported late: it imports us)."""
        from .view import notebook_html  # noqa: PLC0415

        return notebook_html(self)


def unique_id(wanted: str, taken: set[str]) -> str:
    """A slug of `wanted` that is not in `taken` ("borg", then "borg-2").

    Zero-width characters inside a name ("Has\u200bsan") are no word break: dropped.
    """
    wanted = re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", wanted)
    base = re.sub(r"[^\w-]+", "-", wanted.strip().lower()).strip("-")[:40] or "actor"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
