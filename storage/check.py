"""`guildhall db check`: recompute every cached balance from the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.points import BalanceRow, LedgerRow


@dataclass(frozen=True, slots=True)
class Mismatch:
    member_id: int
    cached: int
    ledger: int


NOT_MIGRATED = (
    "this database was never migrated (it has no Guildhall tables):"
    " run `guildhall db upgrade` first, with the same DATABASE_URL"
)


async def is_migrated(engine: AsyncEngine) -> bool:
    """Whether the ledger's tables exist (`guildhall db upgrade` has run)."""

    def _has(conn: Connection) -> bool:
        names = set(inspect(conn).get_table_names())
        return {BalanceRow.__tablename__, LedgerRow.__tablename__} <= names

    async with engine.connect() as conn:
        return await conn.run_sync(_has)


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
