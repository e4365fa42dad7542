"""What the analytics service needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from domain.analytics.model import (
    DailyStats,
    MemberDay,
    Participation,
    RetentionRow,
    TopContributor,
)
from domain.core.ids import CommunityId


class AnalyticsRepository(Protocol):
    """Roll-ups of raw history into member-days, daily stats and cohorts."""

    async def member_days_from_history(
        self, community_id: CommunityId, day: date, start: datetime, end: datetime
    ) -> list[MemberDay]:
        """Group the day's raw facts (check-ins, votes, ledger, quests) by member."""
        ...

    async def replace_member_days(
        self, community_id: CommunityId, day: date, rows: Sequence[MemberDay]
    ) -> None:
        """Store the day's member-days, replacing an earlier roll-up of the same day."""
        ...

    async def count_active(self, community_id: CommunityId, first: date, last: date) -> int:
        """Distinct members active between `first` and `last` inclusive."""
        ...

    async def member_counts(
        self, community_id: CommunityId, day: date, start: datetime, end: datetime
    ) -> tuple[int, int]:
        """(members who had joined by `end`, members who joined within [start, end))."""
        ...

    async def upsert_daily(self, community_id: CommunityId, stats: DailyStats) -> None:
        """Store one day's numbers (replacing an earlier roll-up of the day)."""
        ...

    async def daily(self, community_id: CommunityId, first: date, last: date) -> list[DailyStats]:
        """Stored daily numbers between `first` and `last`, oldest first."""
        ...

    async def upsert_retention(self, community_id: CommunityId, row: RetentionRow) -> None:
        """Store one cohort's retention (replacing an earlier computation)."""
        ...

    async def cohort_retention(
        self, community_id: CommunityId, cohort: date, cohort_start: datetime, cohort_end: datetime
    ) -> RetentionRow:
        """Compute a cohort's size and D1/D7/D30 from the stored member-days."""
        ...

    async def retention(
        self, community_id: CommunityId, first: date, last: date
    ) -> list[RetentionRow]:
        """Stored cohorts that joined between `first` and `last`, oldest first."""
        ...

    async def participation(
        self, community_id: CommunityId, first: date, last: date
    ) -> Participation:
        """Who did what among the members active in the window."""
        ...

    async def top_contributors(
        self, community_id: CommunityId, first: date, last: date, limit: int
    ) -> list[TopContributor]:
        """Members who earned the most points in the window."""
        ...

    async def store_window(
        self,
        community_id: CommunityId,
        days: int,
        last: date,
        participation: Participation,
        top: Sequence[TopContributor],
    ) -> None:
        """Keep a window's participation and top contributors (computed by the roll-up job)."""
        ...

    async def window(
        self, community_id: CommunityId, days: int
    ) -> tuple[date, Participation, list[TopContributor]] | None:
        """The stored window of `days` days and the day it ends, if any."""
        ...
