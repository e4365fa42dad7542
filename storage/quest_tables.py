"""The quests' tables: quests, per-member progress and manual submissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.types import UTCDateTime


class QuestRow(Base):
    """A quest; `rotation_key` is unique per community so a rotation opens a week once."""

    __tablename__ = "quests"
    __table_args__ = (
        Index("ix_quests_open", "community_id", "ends_at", "starts_at"),
        Index("uq_quests_rotation", "community_id", "rotation_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(1000))
    goal: Mapped[str] = mapped_column(String(16))
    target: Mapped[int] = mapped_column()
    reward_points: Mapped[int] = mapped_column()
    reward_xp: Mapped[int] = mapped_column()
    difficulty: Mapped[str] = mapped_column(String(8))
    repeat: Mapped[str] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rotation_key: Mapped[str | None] = mapped_column(String(40))


class QuestProgressRow(Base):
    """A member's count toward a quest in one period; completed at most once."""

    __tablename__ = "quest_progress"

    quest_id: Mapped[int] = mapped_column(ForeignKey("quests.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QuestSubmissionRow(Base):
    """Proof for a manual quest: one per (quest, member, period), reviewed by a moderator."""

    __tablename__ = "quest_submissions"
    __table_args__ = (
        Index("uq_quest_submissions_once", "quest_id", "member_id", "period", unique=True),
        Index("ix_quest_submissions_queue", "community_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quest_id: Mapped[int] = mapped_column(ForeignKey("quests.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    period: Mapped[str] = mapped_column(String(16))
    proof: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
