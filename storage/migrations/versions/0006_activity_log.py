"""activity log

Revision ID: 0006_activity_log
Revises: 0001_foundation
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0006_activity_log"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("activity_log",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("occurred_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("applied", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("derived", sa.Boolean(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_log")),
        sa.UniqueConstraint(
            "community_id", "kind", "key", name=op.f("uq_activity_log_community_id_kind_key")
        ),
    )
    op.create_index(
        "ix_activity_log_pending",
        "activity_log",
        ["id"],
        unique=False,
        sqlite_where=sa.text("applied = 0"),
        postgresql_where=sa.text("NOT applied"),
    )


def downgrade() -> None:
    op.drop_index("ix_activity_log_pending", table_name="activity_log")
    op.drop_table("activity_log")
