"""`guildhall db check`: recompute every cached balance from the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.points import BalanceRow, LedgerRow


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A cached balance that differs from the sum of its ledger rows."""

    member_id: int
    cached: int
    ledger: int


async def balance_mismatches(engine: AsyncEngine) -> list[Mismatch]:
    """Members whose cached balance differs from the sum of their ledger rows."""
    b = BalanceRow.__table__
    ledger = LedgerRow.__table__
    sums = (
        select(ledger.c.member_id, func.sum(ledger.c.amount).label("total"))
        .group_by(ledger.c.member_id)
        .subquery()
    )
    stmt = (
        select(b.c.member_id, b.c.points, func.coalesce(sums.c.total, 0))
        .select_from(b.outerjoin(sums, sums.c.member_id == b.c.member_id))
        .where(b.c.points != func.coalesce(sums.c.total, 0))
        .order_by(b.c.member_id)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [Mismatch(int(r[0]), int(r[1]), int(r[2])) for r in rows]
