"""Stakes: what battles need from the ledger's escrow."""

from __future__ import annotations

from typing import Protocol

from domain.battles.errors import StakeUnaffordableError
from domain.battles.model import Battle
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.points.errors import InsufficientPointsError
from domain.points.escrow import EscrowService, Hold


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


def stake_key(battle: Battle, member_id: MemberId) -> str:
    """The escrow key of one fighter's stake: unique per battle and member."""
    return f"battle:{battle.id}:stake:{member_id}"


class LedgerStakes:
    """`StakeEscrow` on the ledger's escrow: one hold per fighter, settled once per key."""

    def __init__(self, escrow: EscrowService) -> None:
        self._escrow = escrow

    async def hold(self, uow: UnitOfWork, battle: Battle, member: Member, amount: int) -> None:
        try:
            await self._escrow.hold(
                uow, member, amount, purpose="battle", key=stake_key(battle, member.id)
            )
        except InsufficientPointsError as err:
            raise StakeUnaffordableError(stake=amount, balance=err.params.get("balance")) from None

    async def _holds(self, uow: UnitOfWork, battle: Battle) -> list[Hold]:
        found = []
        for member_id in battle.fighters():
            hold = await self._escrow.by_key(uow, battle.community_id, stake_key(battle, member_id))
            if hold is not None and hold.remaining > 0:
                found.append(hold)
        return found

    async def pay_winner(self, uow: UnitOfWork, battle: Battle, winner_id: MemberId) -> int:
        paid = 0
        for hold in await self._holds(uow, battle):
            settled = await self._escrow.release(uow, hold.id, winner_id, key="winner")
            paid += sum(settled.paid.values())
        return paid

    async def refund(self, uow: UnitOfWork, battle: Battle) -> None:
        for hold in await self._holds(uow, battle):
            await self._escrow.refund(uow, hold.id, key="refund")
