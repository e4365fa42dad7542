"""A `guildhall db check` for battles: stakes held while a battle lives, settled after.

The escrow check proves that holds agree with the ledger; this one proves
that they agree with the battles they belong to, so a stake stranded by a
bug (a finished battle whose pot was never paid, a live battle whose stake
was returned early) is reported instead of sitting unnoticed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.battles.model import LIVE, Status
from storage.battles.tables import BATTLES
from storage.escrow import EscrowHoldRow


async def stake_problems(engine: AsyncEngine) -> list[str]:
    """Stakes that disagree with their battle's state, as lines; empty when all agree."""
    h = EscrowHoldRow.__table__
    async with engine.connect() as conn:
        battles = {
            int(r.id): r
            for r in await conn.execute(
                select(
                    BATTLES.c.id,
                    BATTLES.c.status,
                    BATTLES.c.stake,
                    BATTLES.c.challenger_id,
                    BATTLES.c.opponent_id,
                ).where(BATTLES.c.stake > 0)
            )
        }
        holds = (
            await conn.execute(
                select(h.c.key, h.c.amount, h.c.remaining).where(h.c.key.like("battle:%:stake:%"))
            )
        ).all()
    found: dict[tuple[int, int], tuple[int, int]] = {}
    problems: list[str] = []
    for key, amount, remaining in holds:
        _, held_battle, _, held_member = str(key).split(":")
        found[int(held_battle), int(held_member)] = (int(amount), int(remaining))
    for battle_id, b in sorted(battles.items()):
        status = Status(b.status)
        should_hold = [b.challenger_id] if status is Status.PENDING else []
        if status in LIVE and status is not Status.PENDING:
            should_hold = [b.challenger_id, b.opponent_id]
        for member_id in (b.challenger_id, b.opponent_id):
            if member_id is None:
                continue
            amount, remaining = found.get((battle_id, int(member_id)), (0, 0))
            if member_id in should_hold and (amount != b.stake or remaining != b.stake):
                problems.append(
                    f"battle {battle_id} ({status}): member {member_id}'s stake of {b.stake}"
                    f" is held as {amount}, {remaining} remaining"
                )
            elif member_id not in should_hold and remaining:
                problems.append(
                    f"battle {battle_id} ({status}): member {member_id} still has {remaining}"
                    " of their stake held"
                )
    return problems
