"""The HTTP service's request and response bodies, around the record contract.

Responses carry the project's own `Article` records (from `models.py`), so the
OpenAPI schema shows the real records and there is one source of truth. Requests
are checked here for shape only; what makes a text extractable is `inputs.check_text`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..batch.documents import InputDocument
from ..models import Article

StrategyName = Literal["two-step", "cues", "rules"]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
JobState = Literal["queued", "running", "done", "cancelled", "deleted"]
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


# One document contract with `extract-many` JSONL: {id, text, published?, url?, meta?}.
JobDocument = InputDocument

_JOB_ID = "0f8e4c5a9b2d4e6f8a1c3b5d7e9f0a2b"
_CREATED = "2026-01-05T09:30:00.125000Z"
_FINISHED = "2026-01-05T09:31:12.500000Z"


class JobRequest(BaseModel):
    """A batch of documents, extracted in the background and kept in the job store."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"documents": [{"id": "doc-1", "text": _EXAMPLE_TEXT}]}]},
    )

    documents: list[InputDocument] = Field(
        min_length=1, description="The documents, each with an id unique within the job."
    )
    strategy: StrategyName | None = Field(
        default=None,
        description="Extraction strategy: the service's own when absent; another only when "
        "the service allows it, else 422.",
    )
    main_only: bool = Field(default=False, description="Only each document's main article.")
    webhook_url: str | None = Field(
        default=None,
        max_length=2048,
        description="POSTed a signed JSON summary when the job finishes; must start with a "
        "prefix the operator allows (`serve --webhook-allow`), else 422.",
    )


class JobCreated(BaseModel):
    """The job a submission made (202), or the one an `Idempotency-Key` named before (200)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"job_id": _JOB_ID, "total": 1}]})

    job_id: str = Field(description="The job's id; its status is at `Location`.")
    total: int = Field(description="How many documents the job holds.")


class JobCounts(BaseModel):
    """How many of a job's documents are in each state."""

    queued: int = Field(default=0, description="Waiting for a worker.")
    running: int = Field(default=0, description="Being extracted now.")
    done: int = Field(default=0, description="Extracted; their records are in the results.")
    failed: int = Field(
        default=0, description="Finished with an error (in the results, with its reason)."
    )
    cancelled: int = Field(default=0, description="Never finished: the job was cancelled.")


class JobStatus(BaseModel):
    """Where a job stands; `status` is `done` once every document is done or failed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": _JOB_ID,
                    "status": "done",
                    "strategy": "rules",
                    "total": 2,
                    "counts": {"queued": 0, "running": 0, "done": 2, "failed": 0, "cancelled": 0},
                    "created_at": _CREATED,
                    "finished_at": _FINISHED,
                    "webhook_url": None,
                }
            ]
        }
    )

    job_id: str = Field(description="The job's id.")
    status: JobState = Field(
        description="queued, running, done (every document done or failed), cancelled, or "
        "deleted (the answer to DELETE: the job and its texts and results are gone)."
    )
    strategy: str = Field(description="The strategy its documents are extracted with.")
    total: int = Field(description="How many documents the job holds.")
    counts: JobCounts = Field(description="Its documents by state.")
    created_at: datetime = Field(description="When it was submitted (ISO 8601, UTC, `Z`).")
    finished_at: datetime | None = Field(
        default=None,
        description="When its last document finished or it was cancelled (ISO 8601, UTC); "
        "null while it runs.",
    )
    webhook_url: str | None = Field(
        default=None, description="Where its completion is POSTed, if anywhere."
    )


class JobList(BaseModel):
    """A page of the caller's jobs, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "jobs": [
                        {
                            "job_id": _JOB_ID,
                            "status": "running",
                            "strategy": "rules",
                            "total": 2,
                            "counts": {"queued": 1, "running": 1},
                            "created_at": _CREATED,
                            "finished_at": None,
                        }
                    ],
                    "next_cursor": "MTc2NzYwNTQwMC4xMjV8MGY4ZTRjNWE5YjJk",
                }
            ]
        }
    )

    jobs: list[JobStatus] = Field(description="At most `limit` jobs, newest first.")
    next_cursor: str | None = Field(
        default=None,
        description="Pass as `cursor` for the next page; null on the last page.",
    )


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
