"""The HTTP service's request and response bodies, around the record contract.

Responses carry the project's own `Article` records (from `models.py`), so the
OpenAPI schema shows the real records and there is one source of truth. Requests
are checked here for shape only; what makes a text extractable is `inputs.check_text`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..models import Article

StrategyName = Literal["two-step", "cues", "rules"]
DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
JobState = Literal["queued", "running", "done", "cancelled"]
DocumentState = Literal["queued", "running", "done", "failed", "cancelled"]


# What /docs "Try it out" sends: a short article as a client would, no strategy (the
# service's own) and no date, so it works as sent on any service.
_EXAMPLE_TEXT = (
    "The foreign minister met his Egyptian counterpart in Cairo on Sunday. "
    '"We agreed to keep talking," the minister told reporters.'
)


class ExtractRequest(BaseModel):
    """One article, extracted synchronously."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": _EXAMPLE_TEXT}]}
    )

    text: str = Field(description="The article text (plain text, UTF-8).")
    published: DateText | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    strategy: StrategyName | None = Field(
        default=None,
        description="Extraction strategy: the service's own when absent; another only when "
        "the service allows it (`serve --allow-strategy`), else 422.",
    )
    main_only: bool = Field(default=False, description="Only the main article.")


class ExtractResponse(BaseModel):
    """The articles of the text, main first, each with its meta (usage, latency, hashes)."""

    articles: list[Article]


class JobDocument(BaseModel):
    """One document of a job; `id` is the caller's, unique within the job."""

    model_config = ConfigDict(extra="forbid")

    id: DocumentId
    text: str
    published: DateText | None = None


class JobRequest(BaseModel):
    """A batch of documents, extracted in the background and kept in the job store."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"documents": [{"id": "doc-1", "text": _EXAMPLE_TEXT}]}]},
    )

    documents: list[JobDocument] = Field(min_length=1)
    strategy: StrategyName | None = None
    main_only: bool = False


class JobCreated(BaseModel):
    job_id: str
    total: int


class JobCounts(BaseModel):
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0
    cancelled: int = 0


class JobStatus(BaseModel):
    """Where a job stands; `status` is `done` once every document is done or failed."""

    job_id: str
    status: JobState
    strategy: str
    total: int
    counts: JobCounts
    created_at: float


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(default_factory=dict)


class ErrorDetail(BaseModel):
    type: str = Field(description="The error class, e.g. InputError, NotFoundError.")
    reason: str = Field(description="A short machine-readable tag, e.g. empty, unknown_job.")
    message: str = Field(description="One line for a person; never a backend's raw text.")


class ErrorBody(BaseModel):
    """Every error response: `{error: {type, reason, message}}`."""

    error: ErrorDetail
