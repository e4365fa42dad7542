"""Stakes: what battles need from the ledger's escrow."""

from __future__ import annotations

from typing import Protocol

from domain.battles.model import Battle
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Member


class StakeEscrow(Protocol):
    """Hold a fighter's stake on the ledger and settle the pot, exactly once per key.

    Held points leave the member's balance through a ledger entry (so they
    cannot be spent twice) and come back, whole, to the winner or to each
    fighter; nothing is minted or lost, and a replay of any step changes nothing.
    """

    async def hold(self, uow: UnitOfWork, battle: Battle, member: Member, amount: int) -> None:
        """Take `amount` from `member` into the battle's pot.

        Raises:
            StakeUnaffordableError: the member's balance does not cover it.
        """
        ...

    async def pay_winner(self, uow: UnitOfWork, battle: Battle, winner_id: MemberId) -> int:
        """Give the whole pot to the winner; what they received."""
        ...

    async def refund(self, uow: UnitOfWork, battle: Battle) -> None:
        """Give every fighter back what they put in (a draw, a cancel, an expiry)."""
        ...
