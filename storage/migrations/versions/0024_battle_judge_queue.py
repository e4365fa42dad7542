"""battle judge queue: attempts and the next attempt's time per battle; who cancelled

Revision ID: 0024_battle_judge_queue
Revises: 0010_battles
Create Date: 2026-11-30 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0024_battle_judge_queue"
down_revision: str | Sequence[str] | None = "0010_battles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("judge_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("judge_next_at", storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.drop_column("cancelled_by")
        batch_op.drop_column("judge_next_at")
        batch_op.drop_column("judge_attempts")
