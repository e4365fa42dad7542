"""community sizes: the stored member count, kept from member_joined activities

Logs a `member_joined` activity (already applied) for every member enrolled
before this revision and stores each community's size from them, so the
projection and a rebuild from the log agree from the start.

Revision ID: 0020_community_sizes
Revises: 0006_activity_log
Create Date: 2026-11-30 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_community_sizes"
down_revision: str | Sequence[str] | None = "0006_activity_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0003_boards",)


def upgrade() -> None:
    op.create_table(
        "community_sizes",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("members", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_community_sizes_community_id_communities"),
        ),
        sa.PrimaryKeyConstraint("community_id", "what", name=op.f("pk_community_sizes")),
    )
    empty = "'{}'::json" if op.get_bind().dialect.name == "postgresql" else "'{}'"
    op.execute(
        "INSERT INTO activity_log"
        " (community_id, member_id, kind, version, key, occurred_at, data, applied, derived)"
        " SELECT community_id, id, 'member_joined', 1, 'member_joined:' || id, joined_at,"
        f" {empty}, TRUE, FALSE FROM members WHERE TRUE"  # WHERE: SQLite parses the upsert
        " ON CONFLICT DO NOTHING"
    )
    op.execute(
        "INSERT INTO community_sizes (community_id, what, members)"
        " SELECT community_id, 'members', count(*) FROM activity_log"
        " WHERE kind = 'member_joined' GROUP BY community_id"
    )


def downgrade() -> None:
    op.execute("DELETE FROM activity_log WHERE kind = 'member_joined'")
    op.drop_table("community_sizes")
