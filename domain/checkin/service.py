"""The daily check-in."""

from __future__ import annotations

from datetime import timedelta

from domain.activity import Activity
from domain.checkin.errors import AlreadyCheckedInError
from domain.checkin.model import CheckinResult
from domain.checkin.repository import StreakRepository
from domain.checkin.rules import local_day, next_local_midnight
from domain.clock import Clock
from domain.identity.model import Community, Member
from domain.points.repository import LedgerRepository
from domain.points.service import PointsService
from domain.uow import UnitOfWork


class CheckinService:
    """Count one check-in per member per local day and keep the streak.

    "Today" is the member's calendar day in their own zone (else the
    community's). The previous check-in is re-read in the *current* zone, so
    moving from Berlin to Tokyo late in the evening cannot produce a second
    check-in in the same real day.
    """

    def __init__(self, clock: Clock, points: PointsService, points_per_checkin: int) -> None:
        self._clock = clock
        self._points = points
        self._points_per_checkin = points_per_checkin

    async def check_in(
        self, uow: UnitOfWork, community: Community, member: Member
    ) -> CheckinResult:
        """Record today's check-in, extend or restart the streak, award points.

        Raises:
            AlreadyCheckedInError: the member already checked in this local day.
            MemberLockedError: the member is locked (no earning).
        """
        now = self._clock.now()
        zone = member.timezone or community.timezone
        today = local_day(now, zone)
        streaks = uow.get(StreakRepository)
        state = await streaks.get(member.id)
        last_day = local_day(state.last_checkin_at, zone) if state.last_checkin_at else None
        if last_day is not None and last_day >= today:
            raise AlreadyCheckedInError(
                streak=state.current,
                next_in=next_local_midnight(now, zone) - now,
            )
        current = state.current + 1 if last_day == today - timedelta(days=1) else 1
        longest = max(state.longest, current)
        if not await streaks.advance(
            member.community_id, state, current=current, longest=longest, at=now, local_date=today
        ):
            # A concurrent check-in of the same member committed first.
            raise AlreadyCheckedInError(
                streak=current, next_in=next_local_midnight(now, zone) - now
            )
        total = state.total + 1
        balance = await self._points.award(
            uow,
            member,
            self._points_per_checkin,
            source="checkin",
            key=f"checkin:{member.id}:{total}",
            reason=f"check-in {today.isoformat()}",
        )
        if balance is None:  # pragma: no cover - the streak guard makes the key unique
            balance = await uow.get(LedgerRepository).balance(member.id)
        uow.record(
            Activity(
                kind="checked_in",
                community_id=member.community_id,
                member_id=member.id,
                key=f"checkin:{member.id}:{total}",
                occurred_at=now,
                data={"streak": current, "longest": longest, "local_date": today.isoformat()},
            )
        )
        return CheckinResult(
            local_date=today,
            streak=current,
            longest=longest,
            total=total,
            points=self._points_per_checkin,
            balance=balance,
        )
