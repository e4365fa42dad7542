"""payment debts: credits that paid off a debt left by a refund or dispute

Revision ID: 0025_payment_debts
Revises: 0012_payments
Create Date: 2026-11-30 15:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0025_payment_debts"
down_revision: str | Sequence[str] | None = "0012_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_debt_settlements",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_payment_debt_settlements_member_id_members"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_payment_debt_settlements")),
    )
    with op.batch_alter_table("payment_debt_settlements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_debt_settlements_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_debt_settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_debt_settlements_member_id"))
    op.drop_table("payment_debt_settlements")
