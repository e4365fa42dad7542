"""ai reservations: AI calls hold tokens before calling, keyed by request; kept mentor answers

Revision ID: 0023_ai_reservations
Revises: 0009_mentor_ai, 0018_ai
Create Date: 2026-11-30 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0023_ai_reservations"
down_revision: str | Sequence[str] | None = ("0009_mentor_ai", "0018_ai")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=10), server_default="settled", nullable=False)
        )
        batch_op.add_column(sa.Column("request_key", sa.String(length=100), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_ai_calls_state_known"), "state IN ('reserved', 'settled')"
        )
        batch_op.create_index(
            "uq_ai_calls_request", ["community_id", "purpose", "request_key"], unique=True
        )
    op.create_table(
        "mentor_ai_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("prompt_version", sa.String(length=64), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_mentor_ai_answers_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_mentor_ai_answers_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_ai_answers")),
    )
    with op.batch_alter_table("mentor_ai_answers", schema=None) as batch_op:
        batch_op.create_index("ix_mentor_ai_answers_at", ["at"], unique=False)
        batch_op.create_index(
            "uq_mentor_ai_answers_request", ["member_id", "request_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("mentor_ai_answers", schema=None) as batch_op:
        batch_op.drop_index("uq_mentor_ai_answers_request")
        batch_op.drop_index("ix_mentor_ai_answers_at")
    op.drop_table("mentor_ai_answers")
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_index("uq_ai_calls_request")
        batch_op.drop_constraint(op.f("ck_ai_calls_state_known"), type_="check")
        batch_op.drop_column("request_key")
        batch_op.drop_column("state")
