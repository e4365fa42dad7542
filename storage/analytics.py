"""Analytics roll-ups: member-days, daily numbers and join cohorts.

The roll-up reads the day's raw facts by time range through indexes the
features already keep; the dashboard then reads only these small tables.
A day is rewritten whole (delete, insert) so re-running a roll-up replaces it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Index, and_, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

import storage.checkin
import storage.points
import storage.proposals
import storage.quests  # noqa: F401  # their tables must exist before the indexes below
from domain.analytics.model import (
    DailyStats,
    MemberDay,
    Participation,
    RetentionRow,
    TopContributor,
)
from domain.analytics.repository import AnalyticsRepository
from domain.core.ids import CommunityId, MemberId
from storage.analytics_tables import DailyRow, MemberDayRow, RetentionCohortRow, WindowRow
from storage.base import Base
from storage.registry import implements

__all__ = ["DailyRow", "MemberDayRow", "RetentionCohortRow", "SqlAnalyticsRepository", "WindowRow"]


# The roll-up reads each day's facts by time range; these indexes make that a range
# scan instead of a pass over the whole ledger (measured: 1M ledger rows, 29 s -> see
# README). They live here because analytics is the feature that needs them.
_LEDGER = Base.metadata.tables["ledger"]
Index("ix_ledger_community_created", _LEDGER.c.community_id, _LEDGER.c.created_at)
Index("ix_proposal_votes_voted_at", Base.metadata.tables["proposal_votes"].c.voted_at)
Index("ix_quest_progress_completed_at", Base.metadata.tables["quest_progress"].c.completed_at)
_MEMBERS = Base.metadata.tables["members"]
Index("ix_members_community_joined", _MEMBERS.c.community_id, _MEMBERS.c.joined_at)

_MD = MemberDayRow.__table__
_W = WindowRow.__table__
_D = DailyRow.__table__
_R = RetentionCohortRow.__table__
_COUNTS = ("checkins", "votes", "gifts", "quests", "points_earned", "points_spent")


def _table(name: str) -> Any:
    """Another feature's table, looked up by name so this module imports no feature."""
    return Base.metadata.tables[name]


@implements(AnalyticsRepository)
class SqlAnalyticsRepository:
    """Implements `AnalyticsRepository` with Core statements."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def member_days_from_history(
        self, community_id: CommunityId, day: date, start: datetime, end: datetime
    ) -> list[MemberDay]:
        counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))
        for field, stmt in self._history_queries(community_id, start, end):
            for member_id, value in await self._conn.execute(stmt):
                counts[int(member_id)][field] += int(value or 0)
        return [
            MemberDay(member_id=MemberId(m), day=day, **values)
            for m, values in sorted(counts.items())
            if any(values.values())
        ]

    def _history_queries(
        self, community_id: CommunityId, start: datetime, end: datetime
    ) -> list[tuple[str, Any]]:
        checkins, ledger = _table("checkins"), _table("ledger")
        votes, proposals = _table("proposal_votes"), _table("proposals")
        progress, quests = _table("quest_progress"), _table("quests")
        in_ledger = and_(
            ledger.c.community_id == community_id,
            ledger.c.created_at >= start,
            ledger.c.created_at < end,
        )

        def ledger_sum(kind: str, sign: int) -> Any:
            return (
                select(ledger.c.member_id, func.sum(ledger.c.amount) * sign)
                .where(in_ledger, ledger.c.kind == kind)
                .group_by(ledger.c.member_id)
            )

        return [
            (
                "checkins",
                select(checkins.c.member_id, func.count())
                .where(
                    checkins.c.community_id == community_id,
                    # local_date is the member's own date: within a day of the community's
                    checkins.c.local_date >= (start - timedelta(days=1)).date(),
                    checkins.c.local_date <= (end + timedelta(days=1)).date(),
                    checkins.c.checked_at >= start,
                    checkins.c.checked_at < end,
                )
                .group_by(checkins.c.member_id),
            ),
            (
                "votes",
                select(votes.c.member_id, func.count())
                .join(proposals, proposals.c.id == votes.c.proposal_id)
                .where(
                    proposals.c.community_id == community_id,
                    votes.c.voted_at >= start,
                    votes.c.voted_at < end,
                )
                .group_by(votes.c.member_id),
            ),
            (
                "gifts",
                select(ledger.c.member_id, func.count())
                .where(in_ledger, ledger.c.kind == "gifted")
                .group_by(ledger.c.member_id),
            ),
            (
                "quests",
                select(progress.c.member_id, func.count())
                .join(quests, quests.c.id == progress.c.quest_id)
                .where(
                    quests.c.community_id == community_id,
                    progress.c.completed_at >= start,
                    progress.c.completed_at < end,
                )
                .group_by(progress.c.member_id),
            ),
            ("points_earned", ledger_sum("earned", 1)),
            ("points_spent", ledger_sum("spent", -1)),
        ]

    async def replace_member_days(
        self, community_id: CommunityId, day: date, rows: Sequence[MemberDay]
    ) -> None:
        await self._conn.execute(
            delete(_MD).where(_MD.c.community_id == community_id, _MD.c.day == day)
        )
        if rows:
            await self._conn.execute(
                insert(_MD),
                [
                    {"community_id": community_id, "day": day, "member_id": r.member_id}
                    | {c: getattr(r, c) for c in _COUNTS}
                    for r in rows
                ],
            )

    async def count_active(self, community_id: CommunityId, first: date, last: date) -> int:
        stmt = select(func.count(func.distinct(_MD.c.member_id))).where(
            _MD.c.community_id == community_id, _MD.c.day >= first, _MD.c.day <= last
        )
        return int((await self._conn.execute(stmt)).scalar_one())

    async def member_counts(
        self, community_id: CommunityId, day: date, start: datetime, end: datetime
    ) -> tuple[int, int]:
        members = _table("members")
        stmt = select(
            func.count(),
            func.count().filter(members.c.joined_at >= start),
        ).where(members.c.community_id == community_id, members.c.joined_at < end)
        total, new = (await self._conn.execute(stmt)).one()
        return int(total), int(new)

    async def upsert_daily(self, community_id: CommunityId, stats: DailyStats) -> None:
        await self._conn.execute(
            delete(_D).where(_D.c.community_id == community_id, _D.c.day == stats.day)
        )
        values = {c.name: getattr(stats, c.name) for c in _D.columns if c.name != "community_id"}
        await self._conn.execute(insert(_D).values(community_id=community_id, **values))

    async def daily(self, community_id: CommunityId, first: date, last: date) -> list[DailyStats]:
        rows = await self._conn.execute(
            select(_D)
            .where(_D.c.community_id == community_id, _D.c.day >= first, _D.c.day <= last)
            .order_by(_D.c.day)
        )
        return [
            DailyStats(**{k: v for k, v in row._mapping.items() if k != "community_id"})
            for row in rows
        ]

    async def upsert_retention(self, community_id: CommunityId, row: RetentionRow) -> None:
        await self._conn.execute(
            delete(_R).where(_R.c.community_id == community_id, _R.c.cohort == row.cohort)
        )
        if row.size:
            await self._conn.execute(
                insert(_R).values(
                    community_id=community_id,
                    cohort=row.cohort,
                    size=row.size,
                    d1=row.d1,
                    d7=row.d7,
                    d30=row.d30,
                )
            )

    async def cohort_retention(
        self, community_id: CommunityId, cohort: date, cohort_start: datetime, cohort_end: datetime
    ) -> RetentionRow:

        members = _table("members")
        joined = (
            select(members.c.id)
            .where(
                members.c.community_id == community_id,
                members.c.joined_at >= cohort_start,
                members.c.joined_at < cohort_end,
            )
            .scalar_subquery()
        )
        size = int(
            (
                await self._conn.execute(
                    select(func.count()).where(
                        members.c.community_id == community_id,
                        members.c.joined_at >= cohort_start,
                        members.c.joined_at < cohort_end,
                    )
                )
            ).scalar_one()
        )
        kept: list[int] = []
        for n in (1, 7, 30):
            stmt = select(func.count()).where(
                _MD.c.community_id == community_id,
                _MD.c.day == cohort + timedelta(days=n),
                _MD.c.member_id.in_(joined),
            )
            kept.append(int((await self._conn.execute(stmt)).scalar_one()) if size else 0)
        return RetentionRow(cohort=cohort, size=size, d1=kept[0], d7=kept[1], d30=kept[2])

    async def retention(
        self, community_id: CommunityId, first: date, last: date
    ) -> list[RetentionRow]:
        rows = await self._conn.execute(
            select(_R.c.cohort, _R.c.size, _R.c.d1, _R.c.d7, _R.c.d30)
            .where(_R.c.community_id == community_id, _R.c.cohort >= first, _R.c.cohort <= last)
            .order_by(_R.c.cohort)
        )
        return [RetentionRow(*row) for row in rows]

    async def participation(
        self, community_id: CommunityId, first: date, last: date
    ) -> Participation:
        per_member = (
            select(
                _MD.c.member_id,
                func.sum(_MD.c.checkins).label("checkins"),
                func.sum(_MD.c.votes).label("votes"),
                func.sum(_MD.c.gifts).label("gifts"),
                func.sum(_MD.c.quests).label("quests"),
            )
            .where(_MD.c.community_id == community_id, _MD.c.day >= first, _MD.c.day <= last)
            .group_by(_MD.c.member_id)
            .subquery()
        )
        row = (
            await self._conn.execute(
                select(
                    func.count(),
                    func.count().filter(per_member.c.checkins > 0),
                    func.count().filter(per_member.c.votes > 0),
                    func.count().filter(per_member.c.gifts > 0),
                    func.count().filter(per_member.c.quests > 0),
                )
            )
        ).one()
        return Participation(*(int(v) for v in row))

    async def top_contributors(
        self, community_id: CommunityId, first: date, last: date, limit: int
    ) -> list[TopContributor]:
        members = _table("members")
        points = func.sum(_MD.c.points_earned).label("points")
        rows = await self._conn.execute(
            select(_MD.c.member_id, members.c.display_name, points, func.count())
            .join(members, members.c.id == _MD.c.member_id)
            .where(_MD.c.community_id == community_id, _MD.c.day >= first, _MD.c.day <= last)
            .group_by(_MD.c.member_id, members.c.display_name)
            .order_by(points.desc(), _MD.c.member_id)
            .limit(limit)
        )
        return [
            TopContributor(MemberId(m), name, int(p or 0), int(days)) for m, name, p, days in rows
        ]

    async def store_window(
        self,
        community_id: CommunityId,
        days: int,
        last: date,
        participation: Participation,
        top: Sequence[TopContributor],
    ) -> None:
        await self._conn.execute(
            delete(_W).where(_W.c.community_id == community_id, _W.c.days == days)
        )
        await self._conn.execute(
            insert(_W).values(
                community_id=community_id,
                days=days,
                last_day=last,
                active=participation.active,
                checked_in=participation.checked_in,
                voted=participation.voted,
                gave=participation.gave,
                completed_quest=participation.completed_quest,
                top=[[t.member_id, t.display_name, t.points, t.active_days] for t in top],
            )
        )

    async def window(
        self, community_id: CommunityId, days: int
    ) -> tuple[date, Participation, list[TopContributor]] | None:
        row = (
            await self._conn.execute(
                select(_W).where(_W.c.community_id == community_id, _W.c.days == days)
            )
        ).first()
        if row is None:
            return None
        participation = Participation(
            row.active, row.checked_in, row.voted, row.gave, row.completed_quest
        )
        top = [TopContributor(MemberId(m), name, p, d) for m, name, p, d in row.top]
        return row.last_day, participation, top
