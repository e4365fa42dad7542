"""Debts a refund or dispute leaves when the credits were already spent, paid off by later credits.

A clawback takes what the balance holds and records the rest as debt (the
balance never goes negative). From then on every credit that comes in, earned,
bought, gifted or returned from escrow, goes to the debt first, until it is
paid: so the member keeps earning (a moderator lock would stop that, and the
debt could never be paid), while there is nothing to spend until the debt is
settled. Each credit settles once: the settlement row and the ledger entry
share a key derived from the credit's own ledger key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from domain.core.clock import Clock
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.payments.repository import PaymentsRepository
from domain.points.activities import PointsCredited
from domain.points.repository import LedgerRepository
from domain.points.service import PointsService

KEY_PREFIX = "stripe:settle:"
_MAX_KEY = 200  # the ledger key's column


@dataclass(frozen=True, slots=True)
class Settlement:
    """Part of a member's debt paid by one credit, and what is still owed after it."""

    community_id: CommunityId
    member_id: MemberId
    paid: int
    left: int
    key: str


def settle_key(credit_key: str) -> str:
    """The ledger key of the debit that pays a debt from the credit with `credit_key`."""
    key = KEY_PREFIX + credit_key
    if len(key) <= _MAX_KEY:
        return key
    return KEY_PREFIX + "sha256:" + hashlib.sha256(credit_key.encode()).hexdigest()


class DebtSettler:
    """Take each new credit of a member in debt against the debt, once."""

    def __init__(self, clock: Clock, points: PointsService) -> None:
        self._clock = clock
        self._points = points

    async def settle(self, uow: UnitOfWork, credits: Sequence[PointsCredited]) -> list[Settlement]:
        """Apply these credits to their members' debts; what each one paid.

        One query finds who of the batch owes anything (usually nobody, and
        that is all this costs); a debtor's balance is locked, then the debt
        read again, so two workers never pay one debt twice.
        """
        incoming = [c for c in credits if c.amount > 0 and not c.key.startswith(KEY_PREFIX)]
        if not incoming:
            return []
        repo = uow.get(PaymentsRepository)
        owed = await repo.debts([c.member_id for c in incoming])
        if not owed:
            return []
        ledger = uow.get(LedgerRepository)
        await ledger.lock_balances(sorted(owed))
        # Read again under the lock: another worker may have just settled part of it.
        owed = await repo.debts(sorted(owed))
        identity = uow.get(IdentityRepository)
        done: list[Settlement] = []
        for credit in incoming:
            left = owed.get(credit.member_id, 0)
            if left <= 0:
                continue
            take = min(left, credit.amount, await ledger.balance(credit.member_id))
            key = settle_key(credit.key)
            if take <= 0 or not await repo.add_settlement(
                key, credit.member_id, take, self._clock.now()
            ):
                continue
            member = await identity.get_member(credit.member_id)
            assert member is not None
            await self._points.claw_back(uow, member, take, key=key, reason="debt")
            owed[credit.member_id] = left - take
            done.append(Settlement(credit.community_id, credit.member_id, take, left - take, key))
        return done
