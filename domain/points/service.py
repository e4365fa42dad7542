"""Earning, spending and giving points."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from domain.core.clock import Clock
from domain.core.errors import AlreadyAppliedError
from domain.core.ids import MemberId
from domain.core.localtime import local_day_start, next_local_midnight
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.points.activities import PointsGifted
from domain.points.errors import (
    GiftQuotaError,
    GiftTooLargeError,
    GiftToSelfError,
    InsufficientPointsError,
    NonPositiveAmountError,
    locked,
)
from domain.points.expiry import expire_key, unspent
from domain.points.model import EntryKind, GiftResult, NewEntry
from domain.points.moderation import ModeratorTools
from domain.points.posting import OverdrawnError, debited_activity, post
from domain.points.repository import LedgerRepository

Multiplier = Callable[[UnitOfWork, MemberId], Awaitable[float]]
"""How many times the earned points a member gets (1.0: as configured)."""


class PointsService(ModeratorTools):
    """Move points through the append-only ledger.

    Every movement appends a ledger row with a unique key and updates the
    cached balance in the same transaction; a debit is a conditional update
    that the database refuses when the balance would go negative, so two
    concurrent spends can never overdraw.
    """

    def __init__(
        self,
        clock: Clock,
        max_gift: int,
        *,
        daily_gift_quota: int = 0,
        expiry_days: Mapping[str, int] | None = None,
    ) -> None:
        self._clock = clock
        self._max_gift = max_gift
        self._daily_gift_quota = daily_gift_quota
        self._expiry_days = dict(expiry_days or {})
        self._multiplier: Multiplier | None = None

    def use_multiplier(self, multiplier: Multiplier) -> None:
        """Scale earned points by the member's premium plan (set by the payments feature)."""
        self._multiplier = multiplier

    def expires_at(self, source: str, earned_at: datetime) -> datetime | None:
        """When credits earned from `source` now expire (None: never)."""
        days = self._expiry_days.get(source)
        return earned_at + timedelta(days=days) if days else None

    async def balance(self, uow: UnitOfWork, member_id: MemberId) -> int:
        return await uow.get(LedgerRepository).balance(member_id)

    async def award(
        self,
        uow: UnitOfWork,
        member: Member,
        amount: int,
        *,
        source: str,
        key: str,
        reason: str | None = None,
        actor_id: MemberId | None = None,
        kind: EntryKind = EntryKind.EARNED,
    ) -> int | None:
        """Credit `amount`; return the new balance, or None if `key` was already applied.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            MemberLockedError: the member is locked by a moderator.
        """
        if amount <= 0:
            raise NonPositiveAmountError(amount=amount)
        if member.is_locked and kind is EntryKind.EARNED:
            raise locked(member, actor_id)
        now = self._clock.now()
        multiplier = None
        if self._multiplier is not None and kind is EntryKind.EARNED:
            boost = await self._multiplier(uow, member.id)
            if boost > 1:  # a premium plan: more points, and the row says why
                amount, multiplier = int(amount * boost), boost
        entry = NewEntry(
            community_id=member.community_id,
            member_id=member.id,
            kind=kind,
            source=source,
            amount=amount,
            key=key,
            created_at=now,
            reason=reason,
            actor_id=actor_id,
            expires_at=self.expires_at(source, now) if kind is EntryKind.EARNED else None,
            multiplier=multiplier,
        )
        try:
            return await post(uow, entry)
        except AlreadyAppliedError:
            return None

    async def give(
        self,
        uow: UnitOfWork,
        giver: Member,
        receiver: Member,
        amount: int,
        *,
        key: str,
        reason: str | None = None,
        timezone: str | None = None,
    ) -> GiftResult:
        """Move `amount` from giver to receiver.

        `timezone` decides the giver's "today" for the daily quota (their own
        zone, else the community's).

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            GiftToSelfError: giver and receiver are the same member.
            GiftTooLargeError: amount is above the community's per-gift maximum.
            MemberLockedError: either side is locked.
            GiftQuotaError: the giver would pass the daily giving quota.
            InsufficientPointsError: the giver's balance does not cover it.
            AlreadyAppliedError: this gift (same key) was already made.
        """
        if amount <= 0:
            raise NonPositiveAmountError(amount=amount)
        if giver.id == receiver.id:
            raise GiftToSelfError()
        if amount > self._max_gift:
            raise GiftTooLargeError(amount=amount, maximum=self._max_gift)
        for side in (giver, receiver):
            if side.is_locked:
                raise locked(side, giver.id)
        ledger = uow.get(LedgerRepository)
        # Lock both balances in a fixed order so that A→B and B→A gifts racing
        # on PostgreSQL queue up instead of deadlocking.
        await ledger.lock_balances(sorted((giver.id, receiver.id)))
        now = self._clock.now()
        if self._daily_gift_quota:
            # Read after the lock: concurrent gifts of one giver queue up here,
            # so each sees what the previous one gave.
            zone = timezone or giver.timezone or "UTC"
            given = await ledger.gifted_since(giver.id, local_day_start(now, zone))
            if given + amount > self._daily_gift_quota:
                raise GiftQuotaError(
                    quota=self._daily_gift_quota,
                    given=given,
                    left=max(self._daily_gift_quota - given, 0),
                    resets_in=next_local_midnight(now, zone) - now,
                )
        out = NewEntry(
            community_id=giver.community_id,
            member_id=giver.id,
            kind=EntryKind.GIFTED,
            source="gift",
            amount=-amount,
            key=f"{key}:out",
            created_at=now,
            reason=reason,
            actor_id=giver.id,
            counterparty_id=receiver.id,
        )
        try:
            giver_balance = await post(uow, out)
        except OverdrawnError as err:
            raise InsufficientPointsError(balance=err.balance, amount=amount) from None
        received = NewEntry(
            community_id=receiver.community_id,
            member_id=receiver.id,
            kind=EntryKind.RECEIVED,
            source="gift",
            amount=amount,
            key=f"{key}:in",
            created_at=now,
            reason=reason,
            actor_id=giver.id,
            counterparty_id=giver.id,
        )
        receiver_balance = await post(uow, received)
        uow.record(
            PointsGifted(
                community_id=giver.community_id,
                member_id=giver.id,
                key=key,
                occurred_at=now,
                receiver_id=int(receiver.id),
                amount=amount,
            )
        )
        return GiftResult(amount, giver_balance, receiver_balance)

    async def spend(
        self,
        uow: UnitOfWork,
        member: Member,
        amount: int,
        *,
        source: str,
        key: str,
        reason: str | None = None,
    ) -> int:
        """Take `amount` from the member for a purchase; return the new balance.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            MemberLockedError: the member is locked.
            AlreadyAppliedError: this purchase (same key) was already made.
            InsufficientPointsError: the balance does not cover it.
        """
        if amount <= 0:
            raise NonPositiveAmountError(amount=amount)
        if member.is_locked:
            raise locked(member, member.id)
        entry = NewEntry(
            community_id=member.community_id,
            member_id=member.id,
            kind=EntryKind.SPENT,
            source=source,
            amount=-amount,
            key=key,
            created_at=self._clock.now(),
            reason=reason,
            actor_id=member.id,
        )
        try:
            return await post(uow, entry)
        except OverdrawnError as err:
            raise InsufficientPointsError(balance=err.balance, amount=amount) from None

    async def claw_back(
        self, uow: UnitOfWork, member: Member, amount: int, *, key: str, reason: str | None = None
    ) -> int:
        """Take back purchased credits after a refund or dispute; the new balance.

        Unlike a spend, a locked member is not exempt: the money went back.

        Raises:
            InsufficientPointsError: the balance does not cover it (take less, record debt).
            AlreadyAppliedError: this clawback (same key) was already made.
        """
        entry = NewEntry(
            community_id=member.community_id,
            member_id=member.id,
            kind=EntryKind.CLAWED_BACK,
            source="stripe",
            amount=-amount,
            key=key,
            created_at=self._clock.now(),
            reason=reason,
        )
        try:
            return await post(uow, entry)
        except OverdrawnError as err:
            raise InsufficientPointsError(balance=err.balance, amount=amount) from None

    async def expire_due(self, uow: UnitOfWork, member_id: MemberId, now: datetime) -> int:
        """Write `expired` entries for the member's credits past their date; the total.

        What is left of each credit is found by replaying the ledger, oldest
        credits spent first; each credit is processed once (a row keyed by the
        credit), so running the job twice expires nothing twice.
        """
        ledger = uow.get(LedgerRepository)
        await ledger.lock_balances([member_id])
        entries = await ledger.entries_of(member_id)
        left = unspent(entries)
        due = [
            e for e in entries if e.amount > 0 and e.expires_at is not None and e.expires_at <= now
        ]
        fresh = await ledger.mark_expiries_done([(e, left.get(e.id, 0)) for e in due], now)
        expiring = [
            NewEntry(
                community_id=e.community_id,
                member_id=e.member_id,
                kind=EntryKind.EXPIRED,
                source=e.source,
                amount=-left[e.id],
                key=expire_key(e.id),
                created_at=now,
                reason=f"{e.source} points of {e.created_at:%Y-%m-%d} expired",
            )
            for e in due
            if e.id in fresh and left.get(e.id, 0) > 0  # spent before it expired: nothing
        ]
        written = await ledger.append_many(expiring)
        expired = [x for x in expiring if x.key in written]
        total = sum(-x.amount for x in expired)
        if total and await ledger.debit(member_id, total) is None:  # pragma: no cover
            raise RuntimeError(f"expiry would overdraw member {member_id}")  # lots sum to it
        for x in expired:
            uow.record(debited_activity(x))
        return total
