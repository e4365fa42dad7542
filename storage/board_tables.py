"""The leaderboards' tables: running scores per season, and how many members each season ranks."""

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
    __table_args__ = (
        Index("ix_board_scores_rank", "community_id", "board", "season", "score", "member_id"),
    )

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    season: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    score: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BoardSizeRow(Base):
    """How many members have a score in a season: the "of N" of a rank without a count."""

    __tablename__ = "board_sizes"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    board: Mapped[str] = mapped_column(String(16), primary_key=True)
    season: Mapped[str] = mapped_column(String(16), primary_key=True)
    members: Mapped[int] = mapped_column(default=0, server_default="0")
