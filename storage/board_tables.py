"""The leaderboards' tables: scores per season, members per season, members per score."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.types import UTCDateTime


class BoardScoreRow(Base):
    """A member's score on one board in one season ("all", "2026-W47", "2026-11").

    Rows of past seasons are kept: they are the archive `--season` reads.
    """

    __tablename__ = "board_scores"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    season: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    score: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# In a page's order (best first, ties by member id): a page is the index's
# first rows, whatever the planner knows of the table.
Index(
    "ix_board_scores_page",
    BoardScoreRow.community_id,
    BoardScoreRow.board,
    BoardScoreRow.season,
    BoardScoreRow.score.desc(),
    BoardScoreRow.member_id,
)


class BoardSizeRow(Base):
    """How many members have a score in a season: the "of N" of a rank without a count."""

    __tablename__ = "board_sizes"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    season: Mapped[str] = mapped_column(String(16), primary_key=True)
    members: Mapped[int] = mapped_column(default=0, server_default="0")


class BoardScoreCountRow(Base):
    """How many members of a season hold each score: a rank is a sum over distinct scores.

    "How many scored more" was a count over the season's rows (4.8 ms for a
    low score at 100,000 members on PostgreSQL, most of /leaderboard under
    writes); summing this table reads one row per distinct score above. The
    boards projection keeps it (`storage.leaderboards`), `db check` recounts it.
    """

    __tablename__ = "board_score_counts"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    season: Mapped[str] = mapped_column(String(16), primary_key=True)
    score: Mapped[int] = mapped_column(BigInteger(), primary_key=True)
    members: Mapped[int] = mapped_column(default=0, server_default="0")
