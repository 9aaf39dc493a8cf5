"""The job store: jobs and their documents in a SQL database, the one truth of the service.

SQLAlchemy 2 over a SQLite file by default (zero set-up) or PostgreSQL by URL, so
several replicas can share one store; its tables (`store_tables.py`) are made and
upgraded in place by Alembic migrations (`migrate.py`) when a store is opened.
This module holds what the API asks of the store (submit, list, status, results,
cancel, delete, retention); what workers ask (claims under leases, fair across
keys) is `claims.py`.

Times are wall-clock seconds of the replicas in the store, ISO 8601 (UTC) in the
API. Owners are API-key fingerprints, never keys.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, create_engine, delete, event, func, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigError, InputError, ModelUnavailableError, NotFoundError
from .claims import Claimed, Claims
from .migrate import upgrade
from .schemas import JobCounts, JobStatus
from .store_tables import (
    CANCELLED,
    DONE,
    FAILED,
    OPEN,
    QUEUED,
    RUNNING,
    DocumentRow,
    JobRow,
)

__all__ = ["Claimed", "JobStore", "NewDocument", "Submission", "default_url", "make_engine"]


@dataclass(frozen=True)
class NewDocument:
    id: str
    text: str
    sha256: str
    published: str | None = None
    url: str | None = None
    meta: dict[str, Any] | None = None


@dataclass(frozen=True)
class Submission:
    """What makes a job besides its documents; `request_sha256` ties an idempotency key."""

    strategy: str
    main_only: bool = False
    idempotency_key: str | None = None
    request_sha256: str | None = None
    webhook_url: str | None = None


@dataclass(frozen=True)
class Tally:
    counts: JobCounts
    last_finish: float | None  # when its last document finished (None: none has)


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


def _when(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def encode_cursor(*parts: object) -> str:
    """An opaque cursor: the key of the last item of a page (urlsafe base64)."""
    raw = "|".join(repr(p) if isinstance(p, float) else str(p) for p in parts)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, parts: int) -> list[str]:
    """The key a cursor holds; InputError (422) for a cursor this service did not give."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    fields = raw.split("|", parts - 1)
    if len(fields) != parts:
        raise InputError("cursor is not one this service gave", reason="cursor")
    return fields


class JobStore(Claims):
    """Jobs and documents behind one object; every method is one short transaction."""

    def __init__(self, url: str, *, max_attempts: int = 3) -> None:
        self.engine = make_engine(url)
        self.max_attempts = max_attempts
        self.dialect = self.engine.dialect.name
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        try:
            upgrade(self.engine)
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

    # ------------------------------------------------------------------ submit
    def create_job(
        self,
        owner: str,
        documents: list[NewDocument],
        *,
        strategy: str,
        main_only: bool = False,
        submission: Submission | None = None,
    ) -> str:
        """A new job; IntegrityError when its idempotency key was taken meanwhile."""
        sub = submission or Submission(strategy=strategy, main_only=main_only)
        job_id = uuid.uuid4().hex
        with self._session.begin() as session:
            session.add(
                JobRow(
                    id=job_id,
                    owner=owner,
                    strategy=sub.strategy,
                    main_only=sub.main_only,
                    total=len(documents),
                    cancelled=False,
                    created_at=time.time(),
                    idempotency_key=sub.idempotency_key,
                    request_sha256=sub.request_sha256,
                    webhook_url=sub.webhook_url,
                )
            )
            session.flush()
            session.add_all(
                DocumentRow(
                    job_id=job_id,
                    owner=owner,
                    seq=i,
                    doc_id=d.id,
                    text=d.text,
                    sha256=d.sha256,
                    published=d.published,
                    url=d.url,
                    meta=d.meta,
                    state=QUEUED,
                    attempts=0,
                )
                for i, d in enumerate(documents)
            )
        return job_id

    def by_idempotency_key(self, owner: str, key: str) -> tuple[str, str | None, int] | None:
        """(job id, request hash, total) of the owner's job submitted under `key`."""
        with self._session() as session:
            row = session.execute(
                select(JobRow.id, JobRow.request_sha256, JobRow.total).where(
                    JobRow.owner == owner, JobRow.idempotency_key == key
                )
            ).first()
        return None if row is None else (row[0], row[1], row[2])

    def backlog(self, owner: str) -> tuple[int, int]:
        """(unfinished jobs, queued or running documents) of one owner: its share of the queue."""
        with self._session() as session:
            jobs = session.execute(
                select(func.count()).where(JobRow.owner == owner, JobRow.finished_at.is_(None))
            ).scalar_one()
            docs = session.execute(
                select(func.count()).where(DocumentRow.owner == owner, DocumentRow.state.in_(OPEN))
            ).scalar_one()
        return int(jobs), int(docs)

    # ------------------------------------------------------------------ read
    def _job(self, session: Session, owner: str, job_id: str) -> JobRow:
        job = session.get(JobRow, job_id)
        if job is None or job.owner != owner:  # another key's job is unknown, not forbidden
            raise NotFoundError(f"no job {job_id!r}", reason="unknown_job")
        return job

    def _counts(self, session: Session, job_ids: list[str]) -> dict[str, Tally]:
        """Each job's documents by state, and when its last document finished."""
        rows = session.execute(
            select(
                DocumentRow.job_id,
                DocumentRow.state,
                func.count(),
                func.max(DocumentRow.finished_at),
            )
            .where(DocumentRow.job_id.in_(job_ids))
            .group_by(DocumentRow.job_id, DocumentRow.state)
        ).all()
        counts: dict[str, dict[str, int]] = {j: {} for j in job_ids}
        last: dict[str, float | None] = dict.fromkeys(job_ids)
        for job_id, state, n, finished in rows:
            counts[job_id][state] = n
            if finished is not None:
                last[job_id] = max(finished, last[job_id] or finished)
        return {j: Tally(JobCounts(**c), last[j]) for j, c in counts.items()}

    @staticmethod
    def _status(job: JobRow, tally: Tally) -> JobStatus:
        counts = tally.counts
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
            created_at=_when(job.created_at),  # type: ignore[arg-type]
            # a done job is finished when its last document was, even in the moment before
            # `complete` records it (which stores that same time)
            finished_at=_when(
                job.finished_at if job.finished_at or state != "done" else tally.last_finish
            ),
            webhook_url=job.webhook_url,
        )

    def status(self, owner: str, job_id: str) -> JobStatus:
        with self._session() as session:
            job = self._job(session, owner, job_id)
            return self._status(job, self._counts(session, [job_id])[job_id])

    def list_jobs(
        self, owner: str, *, cursor: str | None = None, limit: int = 50
    ) -> tuple[list[JobStatus], str | None]:
        """One page of the owner's jobs, newest first, and the cursor of the next (or None)."""
        query = select(JobRow).where(JobRow.owner == owner)
        if cursor:
            created, job_id = decode_cursor(cursor, 2)
            try:
                at = float(created)
            except ValueError:
                raise InputError("cursor is not one this service gave", reason="cursor") from None
            query = query.where(
                or_(JobRow.created_at < at, and_(JobRow.created_at == at, JobRow.id < job_id))
            )
        query = query.order_by(JobRow.created_at.desc(), JobRow.id.desc()).limit(limit + 1)
        with self._session() as session:
            jobs = list(session.execute(query).scalars())
            page = jobs[:limit]
            counts = self._counts(session, [j.id for j in page])
        statuses = [self._status(j, counts[j.id]) for j in page]
        more = len(jobs) > limit and page
        return statuses, encode_cursor(page[-1].created_at, page[-1].id) if more else None

    def results_page(
        self, owner: str, job_id: str, *, after: int = -1, limit: int = 200
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Finished documents' records after submission number `after`, in order, and the
        number to continue after (None when no finished document follows)."""
        with self._session() as session:
            self._job(session, owner, job_id)
            rows = session.execute(
                select(DocumentRow.seq, DocumentRow.result)
                .where(
                    DocumentRow.job_id == job_id,
                    DocumentRow.seq > after,
                    DocumentRow.state.in_([DONE, FAILED]),
                )
                .order_by(DocumentRow.seq)
                .limit(limit + 1)
            ).all()
        page = rows[:limit]
        records = [result for _, result in page if result is not None]
        return records, (page[-1][0] if len(rows) > limit else None)

    def results(self, owner: str, job_id: str, page: int = 200) -> Iterator[dict[str, Any]]:
        """Every finished document's record in submission order, read page by page."""
        after: int | None = -1
        while after is not None:
            records, after = self.results_page(owner, job_id, after=after, limit=page)
            yield from records

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

    # ------------------------------------------------------------------ end
    def cancel(self, owner: str, job_id: str) -> JobStatus:
        """Queued and running documents become `cancelled`; a late result is then discarded."""
        with self._session.begin() as session:
            job = self._job(session, owner, job_id)
            job.cancelled = True
            session.execute(
                update(DocumentRow)
                .where(DocumentRow.job_id == job_id, DocumentRow.state.in_(OPEN))
                .values(state=CANCELLED, worker=None, lease_until=None)
            )
        self.complete(job_id)
        return self.status(owner, job_id)

    def delete(self, owner: str, job_id: str) -> JobStatus:
        """Purge a job: its texts, results and the job itself; a late result is discarded."""
        with self._session.begin() as session:
            job = self._job(session, owner, job_id)
            status = self._status(job, self._counts(session, [job_id])[job_id])
            self._purge(session, [job_id])
        return status.model_copy(update={"status": "deleted"})

    @staticmethod
    def _purge(session: Session, job_ids: list[str]) -> None:
        session.execute(delete(DocumentRow).where(DocumentRow.job_id.in_(job_ids)))
        session.execute(delete(JobRow).where(JobRow.id.in_(job_ids)))

    def purge_finished(self, older_than_s: float, *, batch: int = 500) -> int:
        """Delete jobs finished more than `older_than_s` ago (the retention); how many."""
        cutoff = time.time() - older_than_s
        purged = 0
        while True:
            with self._session.begin() as session:
                ids = list(
                    session.execute(
                        select(JobRow.id).where(JobRow.finished_at < cutoff).limit(batch)
                    ).scalars()
                )
                if ids:
                    self._purge(session, ids)
            purged += len(ids)
            if len(ids) < batch:
                return purged

    def complete(self, job_id: str) -> JobStatus | None:
        """Mark a job finished if none of its documents is open; its status if *this* call
        did (one caller wins, across replicas: the one that sends its webhook)."""
        still_open = (
            select(DocumentRow.pk)
            .where(DocumentRow.job_id == job_id, DocumentRow.state.in_(OPEN))
            .exists()
        )
        with self._session.begin() as session:
            job = session.get(JobRow, job_id)
            if job is None or job.finished_at is not None:
                return None
            last = self._counts(session, [job_id])[job_id].last_finish
            # done: when its last document finished; cancelled: now
            at = time.time() if job.cancelled or last is None else last
            won = session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.finished_at.is_(None), ~still_open)
                .values(finished_at=at)
                .execution_options(synchronize_session=False)
            )
            if int(won.rowcount) != 1:  # type: ignore[attr-defined]
                return None
            job = session.get(JobRow, job_id, populate_existing=True)
            assert job is not None
            return self._status(job, self._counts(session, [job_id])[job_id])

    def unfinished_jobs(self, limit: int = 500) -> list[str]:
        """Jobs not yet marked finished whose documents are all finished (a sweep's work)."""
        still_open = (
            select(DocumentRow.pk)
            .where(DocumentRow.job_id == JobRow.id, DocumentRow.state.in_(OPEN))
            .exists()
        )
        with self._session() as session:
            return list(
                session.execute(
                    select(JobRow.id).where(JobRow.finished_at.is_(None), ~still_open).limit(limit)
                ).scalars()
            )

    # ------------------------------------------------------------------ workers
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
                # a graceful give-back is no crash: it does not count against the attempt cap
                .values(
                    state=QUEUED, worker=None, lease_until=None, attempts=DocumentRow.attempts - 1
                )
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
