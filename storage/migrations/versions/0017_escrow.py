"""escrow

Revision ID: 0017_escrow
Revises: 0001_foundation
Create Date: 2026-11-30 11:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0017_escrow"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("escrow",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "escrow_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=150), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("settled_at", storage.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_escrow_holds_amount_positive")),
        sa.CheckConstraint(
            "remaining >= 0 AND remaining <= amount",
            name=op.f("ck_escrow_holds_remaining_within_amount"),
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_escrow_holds_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["members.id"], name=op.f("fk_escrow_holds_payer_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_holds")),
    )
    with op.batch_alter_table("escrow_holds", schema=None) as batch_op:
        batch_op.create_index("ix_escrow_holds_payer", ["payer_id", "id"], unique=False)
        batch_op.create_index("uq_escrow_holds_community_key", ["community_id", "key"], unique=True)

    op.create_table(
        "escrow_moves",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("ledger_key", sa.String(length=200), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_escrow_moves_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["escrow_holds.id"], name=op.f("fk_escrow_moves_hold_id_escrow_holds")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_escrow_moves_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_moves")),
    )
    with op.batch_alter_table("escrow_moves", schema=None) as batch_op:
        batch_op.create_index("uq_escrow_moves_hold_key", ["hold_id", "key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("escrow_moves", schema=None) as batch_op:
        batch_op.drop_index("uq_escrow_moves_hold_key")
    op.drop_table("escrow_moves")
    with op.batch_alter_table("escrow_holds", schema=None) as batch_op:
        batch_op.drop_index("uq_escrow_holds_community_key")
        batch_op.drop_index("ix_escrow_holds_payer")
    op.drop_table("escrow_holds")
