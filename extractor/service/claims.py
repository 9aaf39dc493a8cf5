"""How a worker takes its next document: under a lease, fairly across keys, a bounded
number of times.

A worker *claims* a document by moving it to `running` with a lease (its worker id
and an expiry); it renews the lease while it works and records the result only
while it still holds the lease (`JobStore.finish`). So:

* a replica killed mid-document leaves an expired lease, and the document runs
  again (on any replica); a finished document is never claimed again;
* two workers never hold one document: the claim is a compare-and-set UPDATE (one
  winner per row), and on PostgreSQL the candidate row is picked with
  `FOR UPDATE SKIP LOCKED`, so replicas do not even queue behind each other;
* a document whose worker died `max_attempts` times is not tried again: it fails
  with the reason (`attempts_exhausted`), so one poison document cannot crash
  replicas for ever;
* queued documents are taken round-robin across keys (owners), not first-in
  first-out: the next claim goes to the key whose last claim is the oldest, so one
  key's 100,000-document job does not starve another key's single document.
  Expired leases come first (their documents were already started).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .store_tables import FAILED, QUEUED, RUNNING, DocumentRow, JobRow, OwnerRow


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
    passed_through: dict[str, Any] = field(default_factory=dict)  # url, meta: into the record


def _passed_through(url: str | None, meta: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (("url", url), ("meta", meta)) if v is not None}


class Claims:
    """The worker's side of the store (mixed into `JobStore`)."""

    _session: sessionmaker[Session]
    dialect: str
    max_attempts: int

    def claim(self, worker: str, lease_s: float) -> Claimed | None:
        """Take the next claimable document: an expired lease, else the next key's oldest."""
        self.give_up_exhausted()
        for _ in range(5):  # lost races on SQLite: try the next candidate
            now = time.time()
            with self._session.begin() as session:
                pk = self._candidate(session, now)
                if pk is None:
                    return None
                won = session.execute(
                    update(DocumentRow)
                    .where(DocumentRow.pk == pk, _claimable(now))
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
                self._claimed_for(session, job.owner, now)
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
                    passed_through=_passed_through(row.url, row.meta),
                )
        return None

    def _first(self, session: Session, query: Select[int]) -> int | None:
        query = query.order_by(DocumentRow.pk).limit(1)
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return session.execute(query).scalar_one_or_none()

    def _candidate(self, session: Session, now: float) -> int | None:
        expired = select(DocumentRow.pk).where(
            DocumentRow.state == RUNNING, DocumentRow.lease_until < now
        )
        pk = self._first(session, expired)
        if pk is not None:
            return pk
        owners = list(
            session.execute(
                select(DocumentRow.owner).where(DocumentRow.state == QUEUED).distinct()
            ).scalars()
        )
        last = dict(
            session.execute(
                select(OwnerRow.owner, OwnerRow.last_claim_at).where(
                    OwnerRow.owner.in_([o for o in owners if o is not None])
                )
            ).all()
        )
        for owner in sorted(owners, key=lambda o: (last.get(o or "", 0.0), o or "")):
            of_owner = DocumentRow.owner.is_(None) if owner is None else DocumentRow.owner == owner
            pk = self._first(
                session, select(DocumentRow.pk).where(DocumentRow.state == QUEUED, of_owner)
            )
            if pk is not None:
                return pk
        return None

    def _claimed_for(self, session: Session, owner: str, now: float) -> None:
        """Remember when `owner` last had a claim (an upsert): the round-robin's clock."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # noqa: PLC0415
        statement = insert(OwnerRow).values(owner=owner, last_claim_at=now)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[OwnerRow.owner], set_={"last_claim_at": now}
            )
        )

    def give_up_exhausted(self) -> list[str]:
        """Fail documents whose worker died `max_attempts` times; the jobs they were in."""
        now = time.time()
        jobs: list[str] = []
        with self._session.begin() as session:
            rows = session.execute(
                select(DocumentRow)
                .where(
                    DocumentRow.state == RUNNING,
                    DocumentRow.lease_until < now,
                    DocumentRow.attempts >= self.max_attempts,
                )
                .limit(100)
            ).scalars()
            for row in list(rows):
                error = {
                    "type": "ServiceError",
                    "reason": "attempts_exhausted",
                    "message": f"given up after {row.attempts} attempts: the worker stopped "
                    "mid-document each time (a crash, a kill or a lost store)",
                }
                record = {
                    "id": row.doc_id,
                    "sha256": row.sha256,
                    **_passed_through(row.url, row.meta),
                    "ok": False,
                    "error": error,
                }
                session.execute(
                    update(DocumentRow)
                    .where(DocumentRow.pk == row.pk, _claimable(now))
                    .values(
                        state=FAILED, worker=None, lease_until=None, result=record, finished_at=now
                    )
                    .execution_options(synchronize_session=False)
                )
                jobs.append(row.job_id)
        return jobs


def _claimable(now: float) -> ColumnElement[bool]:
    """Queued, or running on a lease that has expired."""
    return or_(
        DocumentRow.state == QUEUED,
        and_(DocumentRow.state == RUNNING, DocumentRow.lease_until < now),
    )
