"""Roll raw history up into member-days, daily stats and cohorts; read the headline numbers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.analytics.model import (
    DailyStats,
    Headline,
    MemberDay,
    Participation,
    TopContributor,
)
from domain.analytics.repository import AnalyticsRepository
from domain.core.contracts import CommunityPulse
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.identity import Community, IdentityRepository

RETENTION_DAYS = (1, 7, 30)
WINDOWS = (7, 30, 90)
BACKFILL_DAYS = 90


def local_midnight(day: date, timezone: str) -> datetime:
    """00:00 of `day` on the community's wall clock (right across DST changes)."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone))


def local_today(now: datetime, timezone: str) -> date:
    """The community's calendar date at `now`."""
    return now.astimezone(ZoneInfo(timezone)).date()


class AnalyticsService:
    """Keeps the roll-up tables current and answers the dashboard's questions from them.

    A roll-up of a day replaces the previous one, so running it again (a retry,
    an hourly refresh of today, a backfill) never counts anything twice.
    """

    def __init__(self, top_limit: int = 10, pulse_in_weekly_post: bool = True) -> None:
        self._top_limit = top_limit
        self._pulse = pulse_in_weekly_post

    async def pulse(
        self, uow: UnitOfWork, community_id: CommunityId, now: datetime
    ) -> CommunityPulse | None:
        """The last 7 days in three numbers (`PulseReader`); None when switched off or empty."""
        community = await uow.get(IdentityRepository).get_community(community_id)
        if not self._pulse or community is None:
            return None
        headline = await self.headline(uow, community, now, 7)
        if headline.wau == 0:
            return None
        return CommunityPulse(headline.wau, headline.new_members, headline.stickiness)

    async def roll_up(self, uow: UnitOfWork, community: Community, day: date) -> DailyStats:
        """Recompute `day` (local) for `community` in one unit of work (tests, backfills)."""
        rows = await self.member_days(uow, community, day)
        return await self.store_day(uow, community, day, rows)

    async def member_days(
        self, uow: UnitOfWork, community: Community, day: date
    ) -> list[MemberDay]:
        """Read the day's raw history grouped by member: the costly half, read-only."""
        tz = community.timezone
        start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        return await uow.get(AnalyticsRepository).member_days_from_history(
            community.id, day, start, end
        )

    async def store_day(
        self, uow: UnitOfWork, community: Community, day: date, rows: list[MemberDay]
    ) -> DailyStats:
        """Store the day's member-days, its numbers and the cohorts it completes."""
        repo = uow.get(AnalyticsRepository)
        tz = community.timezone
        start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        await repo.replace_member_days(community.id, day, rows)
        members, new_members = await repo.member_counts(community.id, day, start, end)
        stats = DailyStats(
            day=day,
            members=members,
            new_members=new_members,
            dau=len(rows),
            wau=await repo.count_active(community.id, day - timedelta(days=6), day),
            mau=await repo.count_active(community.id, day - timedelta(days=29), day),
            checkins=sum(r.checkins for r in rows),
            votes=sum(r.votes for r in rows),
            gifts=sum(r.gifts for r in rows),
            quests=sum(r.quests for r in rows),
            points_issued=sum(r.points_earned for r in rows),
            points_spent=sum(r.points_spent for r in rows),
        )
        await repo.upsert_daily(community.id, stats)
        # This day is day n of the cohorts that joined n days earlier.
        for n in (0, *RETENTION_DAYS):
            cohort = day - timedelta(days=n)
            row = await repo.cohort_retention(
                community.id,
                cohort,
                local_midnight(cohort, tz),
                local_midnight(cohort + timedelta(days=1), tz),
            )
            await repo.upsert_retention(community.id, row)
        return stats

    async def days_to_roll_up(
        self, uow: UnitOfWork, community: Community, now: datetime
    ) -> list[date]:
        """Today and yesterday always (they may still change), plus missing days of the last 90."""
        today = local_today(now, community.timezone)
        first = max(
            today - timedelta(days=BACKFILL_DAYS),
            local_today(community.created_at, community.timezone),
        )
        stored = {
            s.day for s in await uow.get(AnalyticsRepository).daily(community.id, first, today)
        }
        days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
        return [d for d in days if d not in stored or d >= today - timedelta(days=1)]

    async def refresh_windows(self, uow: UnitOfWork, community: Community, now: datetime) -> None:
        """Compute and store the windows in one unit of work (tests, the bench)."""
        await self.store_windows(uow, community, await self.windows(uow, community, now))

    async def windows(
        self, uow: UnitOfWork, community: Community, now: datetime
    ) -> list[tuple[int, date, Participation, list[TopContributor]]]:
        """Participation and top contributors for the 7-, 30- and 90-day windows (read-only).

        These group member-days by member, which grows with the community; the
        hourly job pays it once, outside the writer, so no page or command does.
        """
        repo = uow.get(AnalyticsRepository)
        last = local_today(now, community.timezone)
        out = []
        for days in WINDOWS:
            first = last - timedelta(days=days - 1)
            out.append(
                (
                    days,
                    last,
                    await repo.participation(community.id, first, last),
                    await repo.top_contributors(community.id, first, last, self._top_limit),
                )
            )
        return out

    async def store_windows(
        self,
        uow: UnitOfWork,
        community: Community,
        windows: list[tuple[int, date, Participation, list[TopContributor]]],
    ) -> None:
        """Keep computed windows for the pages to read."""
        repo = uow.get(AnalyticsRepository)
        for days, last, participation, top in windows:
            await repo.store_window(community.id, days, last, participation, top)

    async def headline(
        self, uow: UnitOfWork, community: Community, now: datetime, days: int
    ) -> Headline:
        """The window's numbers, ending today (local), from the stored roll-ups only."""
        repo = uow.get(AnalyticsRepository)
        last = local_today(now, community.timezone)
        first = last - timedelta(days=days - 1)
        daily = await repo.daily(community.id, first, last)
        latest = daily[-1] if daily else None
        # D30 is known for cohorts that joined at least 30 days ago.
        cohorts = await repo.retention(
            community.id, first - timedelta(days=30), last - timedelta(days=30)
        )
        size = sum(c.size for c in cohorts)
        stored = await repo.window(community.id, days)
        if stored is not None and stored[0] == last:
            _, participation, top = stored
        elif daily:  # not rolled up yet today (a fresh start): compute it now
            participation = await repo.participation(community.id, first, last)
            top = await repo.top_contributors(community.id, first, last, self._top_limit)
        else:
            participation, top = Participation(0, 0, 0, 0, 0), []
        return Headline(
            first_day=first,
            last_day=last,
            members=latest.members if latest else 0,
            new_members=sum(d.new_members for d in daily),
            dau=latest.dau if latest else 0,
            wau=latest.wau if latest else 0,
            mau=latest.mau if latest else 0,
            stickiness=latest.stickiness if latest else 0.0,
            retention_d30=sum(c.d30 for c in cohorts) / size if size else None,
            participation=participation,
            points_issued=sum(d.points_issued for d in daily),
            points_spent=sum(d.points_spent for d in daily),
            top=tuple(top),
        )
