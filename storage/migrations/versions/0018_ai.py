"""ai: the shared record of AI calls and their token usage

Revision ID: 0018_ai
Revises: 0001_foundation
Create Date: 2026-11-30 11:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0018_ai"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("ai",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ai_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("prompt_version", sa.String(length=64), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("total_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_micros", sa.BigInteger(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "prompt_tokens >= 0 AND completion_tokens >= 0 AND total_tokens >= 0",
            name=op.f("ck_ai_calls_tokens_not_negative"),
        ),
        sa.CheckConstraint("cost_micros >= 0", name=op.f("ck_ai_calls_cost_not_negative")),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_ai_calls_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_ai_calls_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_calls")),
    )
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.create_index("ix_ai_calls_community_at", ["community_id", "at"], unique=False)
        batch_op.create_index(
            "ix_ai_calls_member", ["community_id", "member_id", "purpose", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_calls_member")
        batch_op.drop_index("ix_ai_calls_community_at")
    op.drop_table("ai_calls")
