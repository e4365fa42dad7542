"""Escrow on the ledger: hold points from a member, then release, refund or split them.

A market order and a battle stake both take points from a member now and
decide later where they go. The hold is a ledger entry (kind `held`) that
moves the payer's balance down by the same conditional update every debit
uses, and a hold row that remembers what is still in escrow. Settling
appends `released`/`returned` entries and lowers the hold's `remaining` by a
conditional update, so the database refuses to pay out more than was held,
and every step carries an idempotency key the database keeps unique: a
retried click or a redelivered job changes nothing the second time.

The invariant `guildhall db check` verifies: balances + open escrow + fees
collected by communities = everything the ledger issued outside escrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import NewType, Protocol

from domain.core.clock import Clock
from domain.core.errors import AlreadyAppliedError, MemberLockedError, UserFacingError
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.points.errors import InsufficientPointsError, NonPositiveAmountError
from domain.points.model import EntryKind, NewEntry
from domain.points.posting import OverdrawnError, post

HoldId = NewType("HoldId", int)


class EscrowSettledError(UserFacingError):
    """The hold has less left than asked for, or nothing (params: remaining, amount)."""

    code = "escrow.settled"


class InvalidSplitError(UserFacingError):
    """Split percentages must be whole numbers from 0 to 100 adding up to 100 (params: total)."""

    code = "escrow.invalid_split"


class InvalidFeeError(UserFacingError):
    """A fee is a percentage from 0 to 100 (params: fee)."""

    code = "escrow.invalid_fee"


@dataclass(frozen=True, slots=True)
class Hold:
    """Points taken from `payer_id` and kept in escrow until settled."""

    id: HoldId
    community_id: CommunityId
    payer_id: MemberId
    purpose: str
    key: str
    amount: int
    remaining: int
    created_at: datetime
    settled_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.remaining > 0


@dataclass(frozen=True, slots=True)
class NewHold:
    """A hold as its payer asks for it, before it has an id."""

    community_id: CommunityId
    payer_id: MemberId
    purpose: str
    key: str
    amount: int
    created_at: datetime
    reason: str | None


@dataclass(frozen=True, slots=True)
class EscrowMove:
    """One payout of a settlement: to a member (`member_id`) or the community's fee (None)."""

    hold_id: HoldId
    key: str
    member_id: MemberId | None
    amount: int
    ledger_key: str | None
    created_at: datetime
    actor_id: MemberId | None = None


@dataclass(frozen=True, slots=True)
class Settlement:
    """What one release, refund or split paid out, and what is left in escrow."""

    hold_id: HoldId
    paid: dict[MemberId, int]
    fee: int
    remaining: int


class EscrowRepository(Protocol):
    """Hold rows and their payouts, guarded by the database."""

    async def open(self, hold: NewHold) -> HoldId | None:
        """Insert a hold; its id, or None when the community already has a hold with that key."""
        ...

    async def get(self, hold_id: HoldId, *, for_update: bool = False) -> Hold | None:
        """The hold; with `for_update`, locked until commit so settlements queue up."""
        ...

    async def by_key(self, community_id: CommunityId, key: str) -> Hold | None: ...

    async def take(self, hold_id: HoldId, amount: int, now: datetime) -> int | None:
        """Lower `remaining` by `amount` if it covers it; the new remaining, or None."""
        ...

    async def add_moves(self, moves: Sequence[EscrowMove]) -> bool:
        """Insert a settlement's payouts; False (nothing written) if its first key exists."""
        ...

    async def applied(self, hold_id: HoldId, key: str) -> bool:
        """Whether a payout with this move key was written for the hold."""
        ...

    async def moves(self, hold_id: HoldId) -> list[EscrowMove]: ...


def _ledger_key(hold_id: HoldId, key: str) -> str:
    return f"escrow:{hold_id}:{key}"


def percent_of(amount: int, percent: float | Decimal) -> int:
    """`percent`% of `amount`, rounded down (a fee never rounds against the member)."""
    share = Decimal(amount) * Decimal(str(percent)) / 100
    return int(share.to_integral_value(rounding=ROUND_DOWN))


class EscrowService:
    """Hold, release, refund and split points, exactly once per key.

    Stateless apart from the clock, so any feature may build its own:
    `EscrowService(ctx.clock)`.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def hold(
        self,
        uow: UnitOfWork,
        payer: Member,
        amount: int,
        *,
        purpose: str,
        key: str,
        reason: str | None = None,
    ) -> Hold:
        """Take `amount` from `payer` into a new hold; `key` is unique in the community.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            MemberLockedError: the payer is locked.
            AlreadyAppliedError: a hold with this key exists (see `by_key`).
            InsufficientPointsError: the balance does not cover it; the unit of
                work must roll back.
        """
        if amount <= 0:
            raise NonPositiveAmountError(amount=amount)
        if payer.is_locked:
            raise MemberLockedError(name=payer.display_name, reason=payer.locked_reason)
        now = self._clock.now()
        repo = uow.get(EscrowRepository)
        new = NewHold(payer.community_id, payer.id, purpose, key, amount, now, reason)
        hold_id = await repo.open(new)
        if hold_id is None:
            raise AlreadyAppliedError()
        entry = NewEntry(
            community_id=payer.community_id,
            member_id=payer.id,
            kind=EntryKind.HELD,
            source=purpose,
            amount=-amount,
            key=_ledger_key(hold_id, "held"),
            created_at=now,
            reason=reason,
            actor_id=payer.id,
        )
        try:
            await post(uow, entry)
        except OverdrawnError as err:
            raise InsufficientPointsError(balance=err.balance, amount=amount) from None
        return Hold(hold_id, payer.community_id, payer.id, purpose, key, amount, amount, now, None)

    async def get(self, uow: UnitOfWork, hold_id: HoldId) -> Hold | None:
        return await uow.get(EscrowRepository).get(hold_id)

    async def by_key(self, uow: UnitOfWork, community_id: CommunityId, key: str) -> Hold | None:
        return await uow.get(EscrowRepository).by_key(community_id, key)

    async def release(
        self,
        uow: UnitOfWork,
        hold_id: HoldId,
        to: MemberId,
        *,
        key: str,
        amount: int | None = None,
        fee_percent: float | Decimal = 0,
        actor_id: MemberId | None = None,
        reason: str | None = None,
    ) -> Settlement:
        """Pay `amount` (default: all that is left) to `to`, minus `fee_percent` to the community.

        Paying the payer back is a refund: no fee is taken from it.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            InvalidFeeError: the fee is not within 0–100%.
            EscrowSettledError: the hold has less left than `amount`.
            AlreadyAppliedError: this key was applied to the hold before.
        """
        return await self._settle(
            uow, hold_id, [(to, None)], key, amount, fee_percent, actor_id, reason
        )

    async def refund(
        self,
        uow: UnitOfWork,
        hold_id: HoldId,
        *,
        key: str,
        amount: int | None = None,
        actor_id: MemberId | None = None,
        reason: str | None = None,
    ) -> Settlement:
        """Return `amount` (default: all that is left) to the payer.

        Raises:
            NonPositiveAmountError: amount is zero or negative.
            EscrowSettledError: the hold has less left than `amount`.
            AlreadyAppliedError: this key was applied to the hold before.
        """
        return await self._settle(uow, hold_id, [(None, None)], key, amount, 0, actor_id, reason)

    async def split(
        self,
        uow: UnitOfWork,
        hold_id: HoldId,
        shares: Sequence[tuple[MemberId, int]],
        *,
        key: str,
        fee_percent: float | Decimal = 0,
        actor_id: MemberId | None = None,
        reason: str | None = None,
    ) -> Settlement:
        """Share all that is left by whole percentages (adding up to 100).

        Each share is rounded down; the points rounding leaves over go to the
        first share. The payer's own share is a refund (no fee).

        Raises:
            InvalidSplitError: percentages outside 0–100 or not adding up to 100.
            InvalidFeeError: the fee is not within 0–100%.
            EscrowSettledError: nothing is left in the hold.
            AlreadyAppliedError: this key was applied to the hold before.
        """
        total = sum(p for _, p in shares)
        if not shares or total != 100 or any(p < 0 or p > 100 for _, p in shares):
            raise InvalidSplitError(total=total)
        return await self._settle(
            uow,
            hold_id,
            [(m, p) for m, p in shares],
            key,
            None,
            fee_percent,
            actor_id,
            reason,
        )

    async def _settle(
        self,
        uow: UnitOfWork,
        hold_id: HoldId,
        shares: list[tuple[MemberId | None, int | None]],
        key: str,
        amount: int | None,
        fee_percent: float | Decimal,
        actor_id: MemberId | None,
        reason: str | None,
    ) -> Settlement:
        if amount is not None and amount <= 0:
            raise NonPositiveAmountError(amount=amount)
        if not 0 <= Decimal(str(fee_percent)) <= 100:
            raise InvalidFeeError(fee=fee_percent)
        repo = uow.get(EscrowRepository)
        # Locked until commit on PostgreSQL: two settlements of one hold queue
        # up here, and the second sees what the first left.
        hold = await repo.get(hold_id, for_update=True)
        if hold is None:
            raise EscrowSettledError(remaining=0, amount=amount or 0)
        total = hold.remaining if amount is None else amount
        if total <= 0 or total > hold.remaining:
            if await repo.applied(hold_id, f"{key}#0"):
                raise AlreadyAppliedError()  # a replay that queued behind the original
            raise EscrowSettledError(remaining=hold.remaining, amount=total)
        now = self._clock.now()
        payouts = _payouts(hold, shares, total)
        moves: list[EscrowMove] = []
        entries: list[NewEntry] = []
        fee_total = 0
        for n, (member_id, share) in enumerate(payouts):
            refund = member_id == hold.payer_id
            fee = 0 if refund else percent_of(share, fee_percent)
            fee_total += fee
            paid = share - fee
            move_key = f"{key}#{n}"
            ledger_key = _ledger_key(hold_id, move_key) if paid else None
            moves.append(EscrowMove(hold_id, move_key, member_id, paid, ledger_key, now, actor_id))
            if paid:
                entries.append(
                    NewEntry(
                        community_id=hold.community_id,
                        member_id=member_id,
                        kind=EntryKind.RETURNED if refund else EntryKind.RELEASED,
                        source=hold.purpose,
                        amount=paid,
                        key=_ledger_key(hold_id, move_key),
                        created_at=now,
                        reason=reason,
                        actor_id=actor_id,
                        counterparty_id=None if refund else hold.payer_id,
                    )
                )
        if fee_total:
            moves.append(EscrowMove(hold_id, f"{key}#fee", None, fee_total, None, now, actor_id))
        if not await repo.add_moves(moves):
            raise AlreadyAppliedError()
        remaining = await repo.take(hold_id, total, now)
        if remaining is None:  # pragma: no cover - the row lock above makes this unreachable
            raise EscrowSettledError(remaining=hold.remaining, amount=total)
        paid_to: dict[MemberId, int] = {}
        for entry in entries:
            await post(uow, entry)
            paid_to[entry.member_id] = paid_to.get(entry.member_id, 0) + entry.amount
        return Settlement(hold_id, paid_to, fee_total, remaining)


def _payouts(
    hold: Hold, shares: list[tuple[MemberId | None, int | None]], total: int
) -> list[tuple[MemberId, int]]:
    """Who gets how much of `total`: one payee, or percentages rounded down."""
    if len(shares) == 1 and shares[0][1] is None:
        return [(shares[0][0] or hold.payer_id, total)]
    parts = [(m or hold.payer_id, total * (p or 0) // 100) for m, p in shares]
    left = total - sum(a for _, a in parts)
    first_member, first_amount = parts[0]
    parts[0] = (first_member, first_amount + left)
    return [(m, a) for m, a in parts if a > 0]
