"""The job store: jobs and their documents in a SQL database, the one truth of the service.

SQLAlchemy 2 over a SQLite file by default (zero set-up) or PostgreSQL by URL, so
several replicas can share one store. A worker *claims* a document by moving it to
`running` with a lease (its worker id and an expiry); it renews the lease while it
works and records the result only while it still holds the lease. So:

* a replica killed mid-document leaves an expired lease, and the document runs again
  (on any replica); a finished document is never claimed again;
* two workers never hold one document: the claim is a compare-and-set UPDATE (one
  winner per row), and on PostgreSQL the candidate row is picked with
  `FOR UPDATE SKIP LOCKED`, so replicas do not even queue behind each other.

Lease times are wall-clock seconds of the replicas (keep their clocks in sync, as any
lease-based queue needs). Owners are API-key fingerprints, never keys.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
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
    and_,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..errors import ConfigError, ModelUnavailableError, NotFoundError
from .schemas import JobCounts, JobStatus

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"


class _Base(DeclarativeBase):
    pass


class JobRow(_Base):
    __tablename__ = "extractor_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    strategy: Mapped[str] = mapped_column(String(32))
    main_only: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[float] = mapped_column(Float)


class DocumentRow(_Base):
    __tablename__ = "extractor_documents"
    __table_args__ = (
        UniqueConstraint("job_id", "doc_id"),
        Index("ix_extractor_documents_claim", "state", "pk"),
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


@dataclass(frozen=True)
class NewDocument:
    id: str
    text: str
    sha256: str
    published: str | None = None


@dataclass(frozen=True)
class Claimed:
    """A document this worker holds a lease on, with what it needs to extract it."""

    pk: int
    job_id: str
    doc_id: str
    text: str
    sha256: str
    published: str | None
    strategy: str
    main_only: bool
    attempt: int


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    text: str
    state: str
    result: dict[str, Any] | None


def default_url(home: Path) -> str:
    return f"sqlite:///{home / 'jobs.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL: readers run beside the one writer; busy_timeout queues writers, never fails them."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL; a bad URL is a ConfigError (no secrets echoed)."""
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001  (the URL may hold a password: never echo it)
        raise ConfigError("database URL is not a valid SQLAlchemy URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":  # psycopg 3 is the driver we install
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    raise ConfigError(f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://…")


class JobStore:
    """Jobs and documents behind one object; every method is one short transaction."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        try:
            _Base.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise ModelUnavailableError(f"job store unavailable ({type(exc).__name__})") from None

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def unwritable(self) -> str | None:
        """None if the store takes a write now; else why not (a full disk: OperationalError).

        A job and a 64 KiB document are written and deleted in one transaction, so
        nothing is ever seen, yet a disk with no room for a document fails the commit.
        """
        probe = JobRow(
            id=f"probe-{uuid.uuid4().hex[:26]}",
            owner="",  # no API key's fingerprint is empty: no client ever sees it
            strategy="",
            main_only=False,
            total=1,
            cancelled=True,
            created_at=time.time(),
        )
        try:
            with self._session.begin() as session:
                session.add(probe)
                session.flush()
                doc = DocumentRow(job_id=probe.id, seq=0, doc_id="", text="x" * 65536, sha256="")
                session.add(doc)
                session.flush()
                session.delete(doc)
                session.delete(probe)
        except SQLAlchemyError as exc:
            return type(exc).__name__
        return None

    # ------------------------------------------------------------------ jobs
    def create_job(
        self, owner: str, documents: list[NewDocument], *, strategy: str, main_only: bool
    ) -> str:
        job_id = uuid.uuid4().hex
        now = time.time()
        with self._session.begin() as session:
            session.add(
                JobRow(
                    id=job_id,
                    owner=owner,
                    strategy=strategy,
                    main_only=main_only,
                    total=len(documents),
                    cancelled=False,
                    created_at=now,
                )
            )
            session.flush()
            session.add_all(
                DocumentRow(
                    job_id=job_id,
                    seq=i,
                    doc_id=d.id,
                    text=d.text,
                    sha256=d.sha256,
                    published=d.published,
                    state=QUEUED,
                    attempts=0,
                )
                for i, d in enumerate(documents)
            )
        return job_id

    def _job(self, session: Session, owner: str, job_id: str) -> JobRow:
        job = session.get(JobRow, job_id)
        if job is None or job.owner != owner:  # another key's job is unknown, not forbidden
            raise NotFoundError(f"no job {job_id!r}", reason="unknown_job")
        return job

    def status(self, owner: str, job_id: str) -> JobStatus:
        with self._session() as session:
            job = self._job(session, owner, job_id)
            rows = session.execute(
                select(DocumentRow.state, func.count())
                .where(DocumentRow.job_id == job_id)
                .group_by(DocumentRow.state)
            ).all()
        counts = JobCounts(**{state: n for state, n in rows})
        finished = counts.done + counts.failed
        if job.cancelled:
            state = "cancelled"
        elif finished == job.total:
            state = "done"
        elif counts.running or finished:
            state = "running"
        else:
            state = "queued"
        return JobStatus(
            job_id=job.id,
            status=state,  # type: ignore[arg-type]
            strategy=job.strategy,
            total=job.total,
            counts=counts,
            created_at=job.created_at,
        )

    def cancel(self, owner: str, job_id: str) -> JobStatus:
        """Queued and running documents become `cancelled`; a late result is then discarded."""
        with self._session.begin() as session:
            job = self._job(session, owner, job_id)
            job.cancelled = True
            session.execute(
                update(DocumentRow)
                .where(DocumentRow.job_id == job_id, DocumentRow.state.in_([QUEUED, RUNNING]))
                .values(state=CANCELLED, worker=None, lease_until=None)
            )
        return self.status(owner, job_id)

    def results(self, owner: str, job_id: str, page: int = 200) -> Iterator[dict[str, Any]]:
        """The finished documents' records in submission order, read page by page."""
        with self._session() as session:
            self._job(session, owner, job_id)
        last = -1
        while True:
            with self._session() as session:
                rows = session.execute(
                    select(DocumentRow.seq, DocumentRow.result)
                    .where(
                        DocumentRow.job_id == job_id,
                        DocumentRow.seq > last,
                        DocumentRow.state.in_([DONE, FAILED]),
                    )
                    .order_by(DocumentRow.seq)
                    .limit(page)
                ).all()
            for seq, result in rows:
                last = seq
                if result is not None:
                    yield result
            if len(rows) < page:
                return

    def document(self, owner: str, job_id: str, doc_id: str) -> StoredDocument:
        with self._session() as session:
            self._job(session, owner, job_id)
            row = session.execute(
                select(DocumentRow).where(
                    DocumentRow.job_id == job_id, DocumentRow.doc_id == doc_id
                )
            ).scalar_one_or_none()
            if row is None:
                raise NotFoundError(
                    f"no document {doc_id!r} in this job", reason="unknown_document"
                )
            return StoredDocument(row.doc_id, row.text, row.state, row.result)

    def queue_depth(self) -> int:
        with self._session() as session:
            return int(
                session.execute(
                    select(func.count()).where(DocumentRow.state == QUEUED)
                ).scalar_one()
            )

    # ------------------------------------------------------------------ workers
    def claim(self, worker: str, lease_s: float) -> Claimed | None:
        """Take the oldest claimable document (queued, or running on an expired lease)."""
        for _ in range(5):  # lost races on SQLite: try the next candidate
            now = time.time()
            with self._session.begin() as session:
                candidate = (
                    select(DocumentRow.pk)
                    .where(
                        or_(
                            DocumentRow.state == QUEUED,
                            and_(DocumentRow.state == RUNNING, DocumentRow.lease_until < now),
                        )
                    )
                    .order_by(DocumentRow.pk)
                    .limit(1)
                )
                if self.dialect == "postgresql":
                    candidate = candidate.with_for_update(skip_locked=True)
                pk = session.execute(candidate).scalar_one_or_none()
                if pk is None:
                    return None
                won = session.execute(
                    update(DocumentRow)
                    .where(
                        DocumentRow.pk == pk,
                        or_(
                            DocumentRow.state == QUEUED,
                            and_(DocumentRow.state == RUNNING, DocumentRow.lease_until < now),
                        ),
                    )
                    .values(
                        state=RUNNING,
                        worker=worker,
                        lease_until=now + lease_s,
                        attempts=DocumentRow.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if won.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                row = session.get(DocumentRow, pk, populate_existing=True)
                assert row is not None
                job = session.get(JobRow, row.job_id)
                assert job is not None
                return Claimed(
                    pk=row.pk,
                    job_id=row.job_id,
                    doc_id=row.doc_id,
                    text=row.text,
                    sha256=row.sha256,
                    published=row.published,
                    strategy=job.strategy,
                    main_only=job.main_only,
                    attempt=row.attempts,
                )
        return None

    def renew(self, worker: str, lease_s: float, pks: Collection[int] | None = None) -> int:
        """Extend the leases this worker holds (only on `pks` if given: the documents its
        live threads work on); the number of documents renewed."""
        held = [DocumentRow.worker == worker, DocumentRow.state == RUNNING]
        if pks is not None:
            held.append(DocumentRow.pk.in_(list(pks)))
        with self._session.begin() as session:
            done = session.execute(
                update(DocumentRow)
                .where(*held)
                .values(lease_until=time.time() + lease_s)
                .execution_options(synchronize_session=False)
            )
        return int(done.rowcount)  # type: ignore[attr-defined]

    def finish(self, worker: str, pk: int, record: dict[str, Any]) -> bool:
        """Record a result if this worker still holds the document; False if it lost it."""
        state = DONE if record.get("ok") else FAILED
        with self._session.begin() as session:
            done = session.execute(
                update(DocumentRow)
                .where(
                    DocumentRow.pk == pk,
                    DocumentRow.worker == worker,
                    DocumentRow.state == RUNNING,
                )
                .values(
                    state=state,
                    result=json.loads(json.dumps(record, ensure_ascii=False)),
                    lease_until=None,
                    finished_at=time.time(),
                )
                .execution_options(synchronize_session=False)
            )
        return int(done.rowcount) == 1  # type: ignore[attr-defined]

    def release(self, worker: str) -> int:
        """Give back every document this worker holds (a graceful stop): they run again."""
        with self._session.begin() as session:
            done = session.execute(
                update(DocumentRow)
                .where(DocumentRow.worker == worker, DocumentRow.state == RUNNING)
                .values(state=QUEUED, worker=None, lease_until=None)
                .execution_options(synchronize_session=False)
            )
        return int(done.rowcount)  # type: ignore[attr-defined]

    def attempts(self, job_id: str) -> dict[str, tuple[int, str | None, str]]:
        """doc id → (attempts, last worker, state): what tests and operators audit."""
        with self._session() as session:
            rows = session.execute(
                select(
                    DocumentRow.doc_id, DocumentRow.attempts, DocumentRow.worker, DocumentRow.state
                ).where(DocumentRow.job_id == job_id)
            ).all()
        return {d: (a, w, s) for d, a, w, s in rows}
