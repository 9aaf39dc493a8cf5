"""The job store upgrades in place (Alembic), on a SQLite file and on PostgreSQL.

`LEGACY` is the store exactly as the service made it before migrations existed
(the table definitions of `extractor/service/jobs.py` at commit 28f3f43), filled
the way that code filled it; opening it with today's `JobStore` must keep every
job and result, and make the new features work on the old rows.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    insert,
    inspect,
)

from extractor.service import migrate
from extractor.service.jobs import JobStore, make_engine
from extractor.service.store_tables import Base

LEGACY = MetaData()
Table(
    "extractor_jobs",
    LEGACY,
    Column("id", String(32), primary_key=True),
    Column("owner", String(64), nullable=False, index=True),
    Column("strategy", String(32), nullable=False),
    Column("main_only", Boolean, nullable=False),
    Column("total", Integer, nullable=False),
    Column("cancelled", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
)
Table(
    "extractor_documents",
    LEGACY,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("job_id", ForeignKey("extractor_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("doc_id", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("published", String(10), nullable=True),
    Column("state", String(16), nullable=False),
    Column("worker", String(64), nullable=True),
    Column("lease_until", Float, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("result", JSON, nullable=True),
    Column("finished_at", Float, nullable=True),
    UniqueConstraint("job_id", "doc_id"),
    Index("ix_extractor_documents_claim", "state", "pk"),
)


def _job(job_id: str, owner: str, created: float) -> dict[str, Any]:
    return {
        "id": job_id,
        "owner": owner,
        "strategy": "rules",
        "main_only": False,
        "total": 2,
        "cancelled": False,
        "created_at": created,
    }


def _doc(job_id: str, seq: int, state: str, finished: float | None = None) -> dict[str, Any]:
    result = {"id": f"d{seq}", "sha256": "x", "ok": True, "articles": []} if finished else None
    return {
        "job_id": job_id,
        "seq": seq,
        "doc_id": f"d{seq}",
        "text": f"text {seq}",
        "sha256": "x",
        "published": None,
        "state": state,
        "worker": None,
        "lease_until": None,
        "attempts": 1 if finished else 0,
        "result": result,
        "finished_at": finished,
    }


def make_legacy_store(url: str) -> float:
    """A store as the pre-migration service left it: one finished job, one half-done."""
    engine = make_engine(url)
    LEGACY.create_all(engine)
    now = time.time()
    with engine.begin() as conn:
        tables = LEGACY.tables
        conn.execute(insert(tables["extractor_jobs"]), [_job("old", "alice", now - 100)])
        conn.execute(insert(tables["extractor_jobs"]), [_job("half", "alice", now - 50)])
        conn.execute(
            insert(tables["extractor_documents"]),
            [
                _doc("old", 0, "done", now - 90),
                _doc("old", 1, "done", now - 80),
                _doc("half", 0, "done", now - 40),
                _doc("half", 1, "queued"),
            ],
        )
    engine.dispose()
    return now


def test_a_store_made_before_migrations_upgrades_in_place_and_keeps_its_jobs(database_url):
    now = make_legacy_store(database_url)
    store = JobStore(database_url)  # upgrades
    try:
        with store.engine.connect() as conn:
            assert migrate.current(conn) == migrate.head()
        old = store.status("alice", "old")
        assert (old.status, old.counts.done) == ("done", 2)
        assert old.finished_at is not None  # filled in: when its last document finished
        assert abs(old.finished_at.timestamp() - (now - 80)) < 0.01
        assert store.status("alice", "half").finished_at is None
        assert [r["id"] for r in store.results("alice", "old")] == ["d0", "d1"]
        listed, _ = store.list_jobs("alice")
        assert [j.job_id for j in listed] == ["half", "old"]  # newest first
        claimed = store.claim("w", 30)  # the old queued document, its owner filled in
        assert claimed is not None and (claimed.job_id, claimed.doc_id) == ("half", "d1")
        assert store.finish("w", claimed.pk, {"id": "d1", "sha256": "x", "ok": True})
        assert store.complete("half") is not None
    finally:
        store.close()


def test_opening_an_upgraded_store_again_changes_nothing(database_url):
    make_legacy_store(database_url)
    JobStore(database_url).close()
    store = JobStore(database_url)
    try:
        assert store.status("alice", "old").counts.done == 2
    finally:
        store.close()


def test_a_new_store_is_made_by_the_migrations_and_matches_the_tables_the_code_reads(
    database_url,
):
    # A column added to store_tables.py without a migration (or the reverse) fails here.
    store = JobStore(database_url)
    try:
        with store.engine.connect() as conn:
            assert migrate.current(conn) == migrate.head()
            context = MigrationContext.configure(
                conn, opts={"version_table": migrate.VERSION_TABLE}
            )
            differences = compare_metadata(context, Base.metadata)
            names = set(inspect(conn).get_table_names())
    finally:
        store.close()
    assert differences == []
    assert {"extractor_jobs", "extractor_documents", "extractor_owners"} <= names
    assert migrate.VERSION_TABLE in names


def test_the_upgrade_touches_no_table_but_its_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engine = create_engine(url)
    other = MetaData()
    Table("alembic_version", other, Column("version_num", String(32), primary_key=True))
    other.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(other.tables["alembic_version"]), [{"version_num": "someone-else"}])
    engine.dispose()
    JobStore(url).close()
    engine = create_engine(url)
    with engine.connect() as conn:
        kept = conn.execute(other.tables["alembic_version"].select()).all()
    engine.dispose()
    assert kept == [("someone-else",)]


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_each_revision_is_known(revision):
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate._config(None))  # type: ignore[arg-type]
    assert script.get_revision(revision) is not None
