"""board score counts: members per (community, board, season, score), for ranks by a sum

Revision ID: 0027_board_score_counts
Revises: 0003_boards
Create Date: 2026-12-01 12:00:00

A rank was a count of the season's rows above the member's score; it is now a
sum over this table's rows above it (one per distinct score). The table starts
as the existing scores grouped; the boards projection keeps it from then on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_board_score_counts"
down_revision: str | Sequence[str] | None = "0003_boards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_score_counts",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("board", sa.String(length=16), nullable=False),
        sa.Column("season", sa.String(length=16), nullable=False),
        sa.Column("score", sa.BigInteger(), nullable=False),
        sa.Column("members", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_board_score_counts_community_id_communities"),
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "board", "season", "score", name=op.f("pk_board_score_counts")
        ),
    )
    op.execute(
        "INSERT INTO board_score_counts (community_id, board, season, score, members)"
        " SELECT community_id, board, season, score, count(*) FROM board_scores"
        " GROUP BY community_id, board, season, score"
    )


def downgrade() -> None:
    op.drop_table("board_score_counts")
