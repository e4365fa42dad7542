"""Tables of mentoring: profiles, sessions, their history and ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.mentoring.model import SessionStatus
from storage.base import Base
from storage.types import UTCDateTime

_STATUSES = ", ".join(f"'{s}'" for s in SessionStatus)


class MentorProfileRow(Base):
    """A mentor; `active` scheduled sessions may never exceed `capacity` (CHECK)."""

    __tablename__ = "mentor_profiles"
    __table_args__ = (
        Index("ix_mentor_profiles_community", "community_id"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("active >= 0 AND active <= capacity", name="active_within_capacity"),
        CheckConstraint("rating_count >= 0 AND completed >= 0", name="counts_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    topics: Mapped[str] = mapped_column(String(500))
    bio: Mapped[str] = mapped_column(Text())
    capacity: Mapped[int] = mapped_column()
    active: Mapped[int] = mapped_column(default=0, server_default="0")
    availability: Mapped[str] = mapped_column(String(200))
    session_types: Mapped[str] = mapped_column(String(300))
    paused: Mapped[bool] = mapped_column(Boolean())
    approved: Mapped[bool] = mapped_column(Boolean())
    rating_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")
    completed: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentorSessionRow(Base):
    """A session; its status is one of `SessionStatus`, never mentor = mentee."""

    __tablename__ = "mentor_sessions"
    __table_args__ = (
        Index("ix_mentor_sessions_mentor", "mentor_id", "status"),
        Index("ix_mentor_sessions_mentee", "mentee_id", "status"),
        Index("ix_mentor_sessions_community", "community_id", "status", "requested_at"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    type: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text())
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentorSessionHistoryRow(Base):
    """Every status change of a session: from, to, who and when."""

    __tablename__ = "mentor_session_history"
    __table_args__ = (Index("ix_mentor_session_history_session", "session_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mentor_sessions.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))


class MentorRatingRow(Base):
    """One rating per session (the primary key), 1 to 5 stars."""

    __tablename__ = "mentor_ratings"
    __table_args__ = (
        Index("ix_mentor_ratings_mentor", "mentor_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    session_id: Mapped[int] = mapped_column(ForeignKey("mentor_sessions.id"), primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    stars: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
