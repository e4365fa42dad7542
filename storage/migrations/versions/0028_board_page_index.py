"""board page index: board_scores indexed in a page's order (score DESC, member id)

Revision ID: 0028_board_page_index
Revises: 0027_board_score_counts
Create Date: 2026-12-01 12:30:00

A page is "highest score first, ties by member id". The index ran (score,
member id) ascending, so read backwards it gave ties by member id descending:
PostgreSQL joined and sorted every row of the season for each page (599 rows
for ten, 1.1 ms, on a bench board whose scores are few and tied). In the
page's own order the first ten index rows are the page. The next place up is
read as "the lowest score above, then its lowest member id", which this
index serves too. Ranks no longer scan it (`board_score_counts`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_board_page_index"
down_revision: str | Sequence[str] | None = "0027_board_score_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("board_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_board_scores_rank")
        batch_op.create_index(
            "ix_board_scores_page",
            ["community_id", "board", "season", sa.text("score DESC"), "member_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("board_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_board_scores_page")
        batch_op.create_index(
            "ix_board_scores_rank",
            ["community_id", "board", "season", "score", "member_id"],
            unique=False,
        )
