"""Alembic's environment for the job store: runs on the connection `migrate.py` hands it.

Never run from a command line with an `alembic.ini`: the service upgrades its own
store when it starts (`migrate.upgrade`), inside one transaction it already holds.
"""

from __future__ import annotations

from alembic import context

from extractor.service.migrate import VERSION_TABLE
from extractor.service.store_tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
