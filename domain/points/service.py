"""Earning, spending and giving points."""

from __future__ import annotations

from domain.activity import Activity
from domain.clock import Clock
from domain.errors import AlreadyAppliedError, MemberLockedError
from domain.identity.model import Member
from domain.ids import MemberId
from domain.points.errors import (
    GiftTooLargeError,
    GiftToSelfError,
    InsufficientPointsError,
    NonPositiveAmountError,
)
from domain.points.model import EntryKind, GiftResult, NewEntry
from domain.points.repository import LedgerRepository
from domain.uow import UnitOfWork


class PointsService:
    """Move points through the append-only ledger.

    Every movement appends a ledger row with a unique key and updates the
    cached balance in the same transaction; a debit is a conditional update
    that the database refuses when the balance would go negative, so two
    concurrent spends can never overdraw.
    """

    def __init__(self, clock: Clock, max_gift: int) -> None:
        self._clock = clock
        self._max_gift = max_gift

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
            raise MemberLockedError(name=member.display_name, reason=member.locked_reason)
        ledger = uow.get(LedgerRepository)
        entry = NewEntry(
            community_id=member.community_id,
            member_id=member.id,
            kind=kind,
            source=source,
            amount=amount,
            key=key,
            created_at=self._clock.now(),
            reason=reason,
            actor_id=actor_id,
        )
        if not await ledger.append(entry):
            return None
        balance = await ledger.credit(member.id, amount)
        uow.record(_credited(entry))
        return balance

    async def give(
        self,
        uow: UnitOfWork,
        giver: Member,
        receiver: Member,
        amount: int,
        *,
        key: str,
        reason: str | None = None,
    ) -> GiftResult:
        """Move `amount` from giver to receiver.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            GiftToSelfError: giver and receiver are the same member.
            GiftTooLargeError: amount is above the community's per-gift maximum.
            MemberLockedError: either side is locked.
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
                raise MemberLockedError(name=side.display_name, reason=side.locked_reason)
        ledger = uow.get(LedgerRepository)
        # Lock both balances in a fixed order so that A→B and B→A gifts racing
        # on PostgreSQL queue up instead of deadlocking.
        await ledger.lock_balances(sorted((giver.id, receiver.id)))
        now = self._clock.now()
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
        if not await ledger.append(out):
            raise AlreadyAppliedError()
        giver_balance = await ledger.debit(giver.id, amount)
        if giver_balance is None:
            raise InsufficientPointsError(balance=await ledger.balance(giver.id), amount=amount)
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
        await ledger.append(received)
        receiver_balance = await ledger.credit(receiver.id, amount)
        uow.record(_credited(received))
        uow.record(
            Activity(
                kind="points_gifted",
                community_id=giver.community_id,
                member_id=giver.id,
                key=key,
                occurred_at=now,
                data={"receiver_id": int(receiver.id), "amount": amount},
            )
        )
        return GiftResult(amount, giver_balance, receiver_balance)


def _credited(entry: NewEntry) -> Activity:
    """Points came in: leaderboards and quests listen to this kind."""
    return Activity(
        kind="points_credited",
        community_id=entry.community_id,
        member_id=entry.member_id,
        key=entry.key,
        occurred_at=entry.created_at,
        data={"amount": entry.amount, "source": entry.source, "kind": str(entry.kind)},
    )
