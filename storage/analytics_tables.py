"""The analytics roll-up tables: member-days, daily numbers, join cohorts and windows.

Kept apart from the repository (storage/analytics.py) so that each stays a
module one reads in one sitting; the dashboard reads only these small tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class MemberDayRow(Base):
    """One member's activity on one local day."""

    __tablename__ = "analytics_member_days"
    __table_args__ = (Index("ix_analytics_member_days_member", "community_id", "member_id", "day"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    checkins: Mapped[int] = mapped_column(default=0)
    votes: Mapped[int] = mapped_column(default=0)
    gifts: Mapped[int] = mapped_column(default=0)
    quests: Mapped[int] = mapped_column(default=0)
    points_earned: Mapped[int] = mapped_column(default=0)
    points_spent: Mapped[int] = mapped_column(default=0)


class DailyRow(Base):
    """The community's numbers for one local day."""

    __tablename__ = "analytics_daily"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date(), primary_key=True)
    members: Mapped[int]
    new_members: Mapped[int]
    dau: Mapped[int]
    wau: Mapped[int]
    mau: Mapped[int]
    checkins: Mapped[int]
    votes: Mapped[int]
    gifts: Mapped[int]
    quests: Mapped[int]
    points_issued: Mapped[int]
    points_spent: Mapped[int]


class RetentionCohortRow(Base):
    """A join cohort's size and how many were active 1, 7 and 30 days later."""

    __tablename__ = "analytics_retention"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    cohort: Mapped[date] = mapped_column(Date(), primary_key=True)
    size: Mapped[int]
    d1: Mapped[int]
    d7: Mapped[int]
    d30: Mapped[int]


class WindowRow(Base):
    """A window's participation and top contributors, as of `last_day`."""

    __tablename__ = "analytics_windows"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True)
    last_day: Mapped[date] = mapped_column(Date())
    active: Mapped[int]
    checked_in: Mapped[int]
    voted: Mapped[int]
    gave: Mapped[int]
    completed_quest: Mapped[int]
    top: Mapped[list[Any]] = mapped_column(JSON())
