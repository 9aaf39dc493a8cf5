"""The job store's tables, as the latest migration leaves them (`migrations/versions/`).

These classes are what the code reads and writes; the tables themselves are made
and changed only by the migrations (`migrate.py`), and a test checks that the two
agree, so a column added here without a migration fails the suite.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
OPEN = (QUEUED, RUNNING)  # a document still to be finished


class Base(DeclarativeBase):
    pass


class JobRow(Base):
    __tablename__ = "extractor_jobs"
    __table_args__ = (
        Index("ix_extractor_jobs_idempotency", "owner", "idempotency_key", unique=True),
        Index("ix_extractor_jobs_listing", "owner", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    strategy: Mapped[str] = mapped_column(String(32))
    main_only: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(Float)
    # set once, by the one transaction that sees the job's last document finish
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    webhook_url: Mapped[str | None] = mapped_column(Text, nullable=True)


class DocumentRow(Base):
    __tablename__ = "extractor_documents"
    __table_args__ = (
        UniqueConstraint("job_id", "doc_id"),
        Index("ix_extractor_documents_claim", "state", "pk"),
        Index("ix_extractor_documents_fair", "state", "owner", "pk"),
        # "is any document of this job still open?", asked at every finish: a seek, not a
        # scan of the job's finished documents
        Index("ix_extractor_documents_job_state", "job_id", "state"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("extractor_jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    doc_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published: Mapped[str | None] = mapped_column(String(10), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    worker: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    # the job's owner again, so a claim picks the next key without a join
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class OwnerRow(Base):
    """When each key last had a document claimed: the round-robin of fair queueing."""

    __tablename__ = "extractor_owners"

    owner: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_claim_at: Mapped[float] = mapped_column(Float)
