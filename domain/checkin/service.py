"""The daily check-in."""

from __future__ import annotations

from datetime import timedelta

from domain.checkin.activities import CheckedIn, StreakMilestone
from domain.checkin.config import StreakSection
from domain.checkin.errors import (
    AlreadyCheckedInError,
    FreezeLimitError,
    FreezesDisabledError,
    FreezeTooExpensiveError,
    UnknownTimezoneError,
)
from domain.checkin.model import CheckinResult
from domain.checkin.repository import StreakRepository
from domain.checkin.rules import day_start, local_day, next_local_midnight, normalise_zone
from domain.core.clock import Clock
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.identity.repository import IdentityRepository
from domain.points.errors import InsufficientPointsError, locked
from domain.points.repository import LedgerRepository
from domain.points.service import PointsService


class CheckinService:
    """Count one check-in per member per local day and keep the streak.

    "Today" is the member's calendar day in their own zone (else the
    community's). The previous check-in is re-read in the *current* zone, so
    moving from Berlin to Tokyo late in the evening cannot produce a second
    check-in in the same real day; and its stored date still counts, so
    hopping west to Honolulu cannot either.
    """

    def __init__(
        self,
        clock: Clock,
        points: PointsService,
        points_per_checkin: int,
        streaks: StreakSection | None = None,
    ) -> None:
        self._clock = clock
        self._points = points
        self._points_per_checkin = points_per_checkin
        self._streaks = streaks or StreakSection()

    async def check_in(
        self, uow: UnitOfWork, community: Community, member: Member
    ) -> CheckinResult:
        """Record today's check-in, extend or restart the streak, award points.

        Raises:
            AlreadyCheckedInError: the member already checked in this local day.
            MemberLockedError: the member is locked (no earning).
        """
        if member.is_locked:  # the member checking in is told "you", before anything moves
            raise locked(member, member.id)
        now = self._clock.now()
        zone = member.timezone or community.timezone
        today = local_day(now, zone)
        streaks = uow.get(StreakRepository)
        state = await streaks.get(member.id)
        last_day = local_day(state.last_checkin_at, zone) if state.last_checkin_at else None
        if last_day is not None and state.last_local_date is not None:
            # Moving west (Tokyo -> Honolulu) must not reopen a date already used:
            # the last check-in counts for the later of its two calendar dates.
            last_day = max(last_day, state.last_local_date)
        if last_day is not None and last_day >= today:
            opens = day_start(last_day + timedelta(days=1), zone)
            raise AlreadyCheckedInError(streak=state.current, next_in=opens - now)
        current, freezes_used = 1, 0
        if last_day is not None and state.current > 0:
            missed = (today - last_day).days - 1
            if missed == 0:
                current = state.current + 1
            elif 0 < missed <= state.freezes and await streaks.use_freezes(member.id, missed):
                # Each freeze bridges exactly one missed day; the streak goes on.
                current, freezes_used = state.current + 1, missed
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
        freezes = state.freezes - freezes_used
        milestone = next((m for m in self._streaks.milestones if m.days == current), None)
        bonus = earned = 0
        if milestone is not None:
            # Once per streak: the run is named by the check-in that started it.
            run_start = total - current + 1
            key = f"streak:{member.id}:{run_start}:{milestone.days}"
            if milestone.points:
                paid = await self._points.award(
                    uow,
                    member,
                    milestone.points,
                    source="streak",
                    key=key,
                    reason=f"{milestone.days}-day streak bonus",
                )
                if paid is not None:
                    bonus, balance = milestone.points, paid
            if milestone.freezes:
                after = await streaks.grant_freezes(
                    member.id, milestone.freezes, self._streaks.max_freezes
                )
                earned, freezes = max(after - freezes, 0), after
            uow.record(
                StreakMilestone(
                    community_id=member.community_id,
                    member_id=member.id,
                    key=key,
                    occurred_at=now,
                    days=milestone.days,
                    points=bonus,
                    freezes=earned,
                )
            )
        uow.record(
            CheckedIn(
                community_id=member.community_id,
                member_id=member.id,
                key=f"checkin:{member.id}:{total}",
                occurred_at=now,
                streak=current,
                longest=longest,
                local_date=today.isoformat(),
            )
        )
        return CheckinResult(
            local_date=today,
            streak=current,
            longest=longest,
            total=total,
            points=self._points_per_checkin,
            balance=balance,
            milestone=milestone.days if milestone else None,
            bonus=bonus,
            freezes_used=freezes_used,
            freezes_earned=earned,
            freezes=freezes,
        )

    async def buy_freeze(self, uow: UnitOfWork, member: Member, *, key: str) -> tuple[int, int]:
        """Buy one streak freeze with points; return (freezes held, new balance).

        Raises:
            FreezesDisabledError: the community sells no freezes (max_freezes = 0).
            FreezeLimitError: the member already holds the most allowed.
            MemberLockedError: the member is locked (no spending).
            FreezeTooExpensiveError: the balance does not cover the price.
        """
        maximum = self._streaks.max_freezes
        if maximum == 0:
            raise FreezesDisabledError()
        held = await uow.get(StreakRepository).buy_freeze(member.id, maximum)
        if held is None:
            raise FreezeLimitError(maximum=maximum)
        # A refused payment raises, and the unit of work rolls the freeze back too.
        try:
            balance = await self._points.spend(
                uow,
                member,
                self._streaks.freeze_price,
                source="purchase",
                key=key,
                reason="streak freeze",
            )
        except InsufficientPointsError as err:
            raise FreezeTooExpensiveError(
                price=self._streaks.freeze_price, balance=err.params.get("balance", 0)
            ) from None
        return held, balance

    @property
    def freeze_price(self) -> int:
        return self._streaks.freeze_price

    async def set_timezone(self, uow: UnitOfWork, member: Member, zone: str | None) -> str | None:
        """Set the member's own zone (None: follow the community's); the stored name.

        Changing zones cannot yield a second check-in in one real day: the
        last check-in is re-read in the new zone (see `check_in`).

        Raises:
            UnknownTimezoneError: not an IANA zone name.
        """
        name = None
        if zone is not None:
            name = normalise_zone(zone)
            if name is None:
                raise UnknownTimezoneError(zone=zone[:60])
        await uow.get(IdentityRepository).set_timezone(member.id, name)
        return name
