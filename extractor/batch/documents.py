"""The one input document: a line of an `extract-many` JSONL set and a document of a job.

    {"id": "n1", "text": "…", "published": "2023-10-09", "url": "https://…", "meta": {…}}

Both the batch sources and the service's job schema validate with `InputDocument`,
so a line one accepts the other accepts, and a refusal reads the same in both.
`meta` is the caller's own: any JSON object up to `MAX_META_BYTES`, never read by
the extractor, copied untouched into the document's results line (and the `meta`
column of the CSV tables), so a caller's keys (source, section, author) travel
with the records. An unknown top-level field is refused rather than dropped: it
belongs under `meta`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..models import is_date

MAX_META_BYTES = 16 * 1024
MAX_URL_CHARS = 2048

DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class InputDocument(BaseModel):
    """One article to extract from; `id` is the caller's, unique within a set or a job."""

    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,  # a JSONL id may be a number: 2 is the id "2"
        json_schema_extra={
            "examples": [
                {
                    "id": "doc-1",
                    "text": "The foreign minister met his Egyptian counterpart in Cairo.",
                    "url": "https://example.org/news/1",
                    "meta": {"section": "world"},
                }
            ]
        },
    )

    id: DocumentId = Field(description="The caller's id of the document, 1 to 200 characters.")
    text: str = Field(description="The article text (plain text, UTF-8).")
    published: str | None = Field(
        default=None, description="Publication date, YYYY-MM-DD (a real calendar day)."
    )
    url: str | None = Field(
        default=None,
        max_length=MAX_URL_CHARS,
        description="Where the article came from; copied into its results line and tables.",
    )
    meta: dict[str, Any] | None = Field(
        default=None,
        description=f"The caller's own JSON object (at most {MAX_META_BYTES:,} bytes as JSON), "
        "passed through untouched into the results line and the tables' `meta` column.",
    )

    @field_validator("published")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None and not is_date(value):
            raise ValueError("must be a real date, YYYY-MM-DD")
        return value

    @field_validator("meta")
    @classmethod
    def _small_meta(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
            if size > MAX_META_BYTES:
                raise ValueError(f"is {size:,} bytes as JSON; at most {MAX_META_BYTES:,}")
        return value

    def passed_through(self) -> dict[str, Any]:
        """What a results line carries of the document besides its records: url, meta."""
        return {k: v for k, v in (("url", self.url), ("meta", self.meta)) if v is not None}


def problem_of(errors: list[Any]) -> str:
    """A refused document in one line, named by field (never the submitted values)."""
    parts = []
    for error in errors[:3]:
        field = ".".join(str(x) for x in error.get("loc", ())) or "document"
        kind = error.get("type", "")
        if field == "id" and kind in ("missing", "string_type", "string_too_short"):
            parts.append("no id (a string or number)")
        elif field == "text" and kind in ("missing", "string_type"):
            parts.append("no text (a string)")
        elif kind == "extra_forbidden":
            parts.append(f"unknown field {field!r} (a caller's own fields go under meta)")
        else:
            parts.append(f"{field}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)
