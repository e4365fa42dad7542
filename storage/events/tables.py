"""Tables of the events feature: series, occurrences, RSVPs, attendance, feed tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.types import UTCDateTime

ANSWERS = "'going', 'maybe', 'no', 'waitlisted'"
STATUSES = "'scheduled', 'cancelled'"


class EventRow(Base):
    """A series (a one-off event is a series of one); `sequence` counts edits for iCal."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_community", "community_id", "id"),
        CheckConstraint(f"status IN ({STATUSES})", name="status_known"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("points >= 0", name="points_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text())
    location: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column()
    rule: Mapped[str | None] = mapped_column(String(300))
    signup_lead_minutes: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    occurrences: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OccurrenceRow(Base):
    """One date of a series. The counters move with each RSVP under the row's lock.

    The CHECK keeps the going count within the capacity in the database itself.
    """

    __tablename__ = "event_occurrences"
    __table_args__ = (
        Index("uq_event_occurrences_number", "event_id", "number", unique=True),
        Index("ix_event_occurrences_community_start", "community_id", "starts_at"),
        Index("ix_event_occurrences_plan", "planned", "starts_at"),
        CheckConstraint(f"status IN ({STATUSES})", name="status_known"),
        CheckConstraint(
            "going >= 0 AND maybe >= 0 AND waitlisted >= 0", name="counts_not_negative"
        ),
        CheckConstraint(
            "capacity IS NULL OR (capacity >= 1 AND going <= capacity)", name="within_capacity"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    number: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None] = mapped_column()
    going: Mapped[int] = mapped_column(default=0, server_default="0")
    maybe: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlisted: Mapped[int] = mapped_column(default=0, server_default="0")
    seq: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(16))
    planned: Mapped[bool] = mapped_column(Boolean(), default=False, server_default=false())


class RsvpRow(Base):
    """A member's answer for one occurrence: one row each (the primary key)."""

    __tablename__ = "event_rsvps"
    __table_args__ = (
        Index("ix_event_rsvps_answer", "occurrence_id", "answer", "seq"),
        Index("ix_event_rsvps_member", "member_id", "answer"),
        CheckConstraint(f"answer IN ({ANSWERS})", name="answer_known"),
    )

    occurrence_id: Mapped[int] = mapped_column(ForeignKey("event_occurrences.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AttendanceRow(Base):
    """Who attended an occurrence: the primary key makes the reward once per member."""

    __tablename__ = "event_attendance"
    __table_args__ = (Index("ix_event_attendance_member", "member_id"),)

    occurrence_id: Mapped[int] = mapped_column(ForeignKey("event_occurrences.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    marked_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    points: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedRow(Base):
    """A calendar subscription token: a member's feed, or the community's (member NULL)."""

    __tablename__ = "event_feeds"
    __table_args__ = (Index("ix_event_feeds_owner", "community_id", "member_id"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
