"""Jobs as people expect them: finish times, idempotency keys, webhooks, url and meta,
and the owner on each document with the owners' last claims (fair queueing).

Existing rows are filled in: each document gets its job's owner, and a job whose
documents are all finished gets the time its last one finished (its creation time
when none has one, as for a job cancelled before any ran).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in (
        sa.Column("finished_at", sa.Float, nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("request_sha256", sa.String(64), nullable=True),
        sa.Column("webhook_url", sa.Text, nullable=True),
    ):
        op.add_column("extractor_jobs", column)
    for column in (
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("meta", sa.JSON, nullable=True),
    ):
        op.add_column("extractor_documents", column)
    op.execute(
        "UPDATE extractor_documents SET owner = "
        "(SELECT j.owner FROM extractor_jobs j WHERE j.id = extractor_documents.job_id)"
    )
    op.execute(
        "UPDATE extractor_jobs SET finished_at = COALESCE("
        "(SELECT MAX(d.finished_at) FROM extractor_documents d "
        "WHERE d.job_id = extractor_jobs.id), created_at) "
        "WHERE NOT EXISTS (SELECT 1 FROM extractor_documents d "
        "WHERE d.job_id = extractor_jobs.id AND d.state IN ('queued', 'running'))"
    )
    op.create_index(
        "ix_extractor_jobs_idempotency",
        "extractor_jobs",
        ["owner", "idempotency_key"],
        unique=True,
    )
    op.create_index("ix_extractor_jobs_listing", "extractor_jobs", ["owner", "created_at"])
    op.create_index("ix_extractor_documents_fair", "extractor_documents", ["state", "owner", "pk"])
    op.create_index("ix_extractor_documents_job_state", "extractor_documents", ["job_id", "state"])
    op.create_table(
        "extractor_owners",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("last_claim_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("extractor_owners")
    op.drop_index("ix_extractor_documents_job_state", "extractor_documents")
    op.drop_index("ix_extractor_documents_fair", "extractor_documents")
    op.drop_index("ix_extractor_jobs_listing", "extractor_jobs")
    op.drop_index("ix_extractor_jobs_idempotency", "extractor_jobs")
    for name in ("meta", "url", "owner"):
        op.drop_column("extractor_documents", name)
    for name in ("webhook_url", "request_sha256", "idempotency_key", "finished_at"):
        op.drop_column("extractor_jobs", name)
