"""Upgrading the job store in place, with Alembic, when the service starts.

Alembic (SQLAlchemy's own migration tool) rather than hand-written ALTERs: it
keeps the revision in a table, runs each migration once, and speaks both SQLite
and PostgreSQL. The migrations live in the package (`migrations/versions/`), so
an installed service upgrades its store without an `alembic.ini`:

* a new store gets every migration, from the baseline up;
* a store made before migrations existed (today's two tables, no version table)
  is stamped with the baseline, then upgraded: its jobs and results are kept;
* an up-to-date store costs one query.

All of it runs in one transaction; on PostgreSQL under an advisory lock, so
replicas starting together upgrade once (the others wait, then find it done).
The version table has its own name, beside any Alembic table of the operator's.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

VERSION_TABLE = "extractor_store_version"
BASELINE = "0001"  # the tables the service made before it had migrations
_LOCK_KEY = 0x6578_7472  # "extr": the PostgreSQL advisory lock of the upgrade


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this code knows."""
    script = ScriptDirectory.from_config(_config(None))  # type: ignore[arg-type]
    revision = script.get_current_head()
    assert revision is not None
    return revision


def current(connection: Connection) -> str | None:
    """The revision a store is at (None: before migrations, or empty)."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the store at `engine` to the newest revision, keeping what it holds."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        if current(connection) == head():
            return
        config = _config(connection)
        tables = set(inspect(connection).get_table_names())
        if "extractor_jobs" in tables and VERSION_TABLE not in tables:
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
