"""delivery: when an announcement was first claimed; which process runs a job

Revision ID: 0021_delivery
Revises: 0005_scheduler
Create Date: 2026-11-30 14:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0021_delivery"
down_revision: str | Sequence[str] | None = "0005_scheduler"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # outbox.first_claimed_at: a retry after a crash looks for the message it may
    # have posted since then (Slack conversations.history, a bounded window).
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("first_claimed_at", storage.types.UTCDateTime(), nullable=True))
    # job_runs.running_by: set while a run is in progress, so a new leader resumes
    # a run its dead predecessor left unfinished.
    with op.batch_alter_table("job_runs") as batch:
        batch.add_column(sa.Column("running_by", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("running_by")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("first_claimed_at")
