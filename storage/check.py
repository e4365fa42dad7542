"""`guildhall db check`: recompute every cached balance from the ledger, and audit escrow."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, cast, func, inspect, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.points.model import EntryKind
from storage.battles.check import stake_problems
from storage.escrow import EscrowHoldRow, EscrowMoveRow
from storage.payments_check import debt_problems
from storage.points import BalanceRow, LedgerRow

ESCROW_KINDS = (str(EntryKind.HELD), str(EntryKind.RELEASED), str(EntryKind.RETURNED))


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A cached balance that differs from the sum of its ledger rows."""

    member_id: int
    cached: int
    ledger: int


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """The economy in one line: balances + open escrow + fees = everything issued."""

    balances: int
    escrow: int
    fees: int
    issued: int

    @property
    def balanced(self) -> bool:
        return self.balances + self.escrow + self.fees == self.issued


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


async def ledger_totals(engine: AsyncEngine) -> LedgerTotals:
    """Sum balances, what is still held, fees taken, and what the ledger issued outside escrow."""
    b, ledger = BalanceRow.__table__, LedgerRow.__table__
    h, m = EscrowHoldRow.__table__, EscrowMoveRow.__table__
    async with engine.connect() as conn:
        balances = (await conn.execute(select(func.coalesce(func.sum(b.c.points), 0)))).scalar()
        escrow = (await conn.execute(select(func.coalesce(func.sum(h.c.remaining), 0)))).scalar()
        fees = (
            await conn.execute(
                select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.member_id.is_(None))
            )
        ).scalar()
        issued = (
            await conn.execute(
                select(func.coalesce(func.sum(ledger.c.amount), 0)).where(
                    ledger.c.kind.not_in(ESCROW_KINDS)
                )
            )
        ).scalar()
    return LedgerTotals(int(balances or 0), int(escrow or 0), int(fees or 0), int(issued or 0))


async def escrow_problems(engine: AsyncEngine) -> list[str]:
    """Holds and payouts that disagree with each other or with the ledger (empty: all good)."""
    ledger = LedgerRow.__table__
    h, m = EscrowHoldRow.__table__, EscrowMoveRow.__table__
    problems: list[str] = []
    paid = select(m.c.hold_id, func.sum(m.c.amount).label("out")).group_by(m.c.hold_id).subquery()
    held_key = literal("escrow:") + cast(h.c.id, String) + literal(":held")
    held = ledger.alias("held")
    holds = (
        select(h.c.id, h.c.amount, h.c.remaining, func.coalesce(paid.c.out, 0), held.c.amount)
        .select_from(
            h.outerjoin(paid, paid.c.hold_id == h.c.id).outerjoin(
                held, (held.c.community_id == h.c.community_id) & (held.c.key == held_key)
            )
        )
        .where(
            (h.c.remaining != h.c.amount - func.coalesce(paid.c.out, 0))
            | held.c.amount.is_(None)
            | (held.c.amount != -h.c.amount)
        )
        .order_by(h.c.id)
    )
    moves = (
        select(m.c.hold_id, m.c.key, m.c.amount, ledger.c.amount)
        .select_from(
            m.join(h, h.c.id == m.c.hold_id).outerjoin(
                ledger,
                (ledger.c.community_id == h.c.community_id) & (ledger.c.key == m.c.ledger_key),
            )
        )
        .where(m.c.ledger_key.is_not(None))
        .where(ledger.c.amount.is_(None) | (ledger.c.amount != m.c.amount))
        .order_by(m.c.id)
    )
    async with engine.connect() as conn:
        for hold_id, amount, remaining, out, entry in await conn.execute(holds):
            problems.append(
                f"hold {hold_id}: held {amount}, paid out {out}, remaining {remaining},"
                f" ledger hold entry {entry}"
            )
        for hold_id, key, amount, entry in await conn.execute(moves):
            problems.append(f"hold {hold_id} payout {key}: {amount} but the ledger says {entry}")
    problems += await stake_problems(engine)  # holds against their battles' states
    totals = await ledger_totals(engine)
    if not totals.balanced:
        problems.append(
            f"balances {totals.balances} + escrow {totals.escrow} + fees {totals.fees}"
            f" != issued {totals.issued}"
        )
    return problems


async def ledger_problems(engine: AsyncEngine) -> list[str]:
    """Everything `guildhall db check` reports, as lines; empty when the ledger is sound."""
    problems = [
        f"member {x.member_id}: cached {x.cached}, ledger says {x.ledger}"
        for x in await balance_mismatches(engine)
    ]
    return problems + await escrow_problems(engine) + await debt_problems(engine)
