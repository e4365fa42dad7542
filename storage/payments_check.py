"""A `guildhall db check` for payments: clawbacks and debt settlements agree with the ledger."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.payments.debts import KEY_PREFIX
from storage.payments import ClawbackRow, DebtSettlementRow
from storage.points import LedgerRow


async def debt_problems(engine: AsyncEngine) -> list[str]:
    """Members whose recorded settlements differ from their ledger debits, or exceed the debt.

    What a refund left owing is paid off by ledger debits keyed `stripe:settle:…`;
    their total per member must equal the settlement rows, and no member may
    have paid off more than they owed (the balance never went negative for it).
    """
    ledger, d, c = LedgerRow.__table__, DebtSettlementRow.__table__, ClawbackRow.__table__
    settled = select(d.c.member_id, func.sum(d.c.amount).label("n")).group_by(d.c.member_id)
    debited = (
        select(ledger.c.member_id, func.sum(-ledger.c.amount).label("n"))
        .where(ledger.c.key.like(f"{KEY_PREFIX}%"))
        .group_by(ledger.c.member_id)
    )
    owed = select(c.c.member_id, func.sum(c.c.debt).label("n")).group_by(c.c.member_id)
    async with engine.connect() as conn:
        rows = {int(m): int(n) for m, n in await conn.execute(settled)}
        entries = {int(m): int(n) for m, n in await conn.execute(debited)}
        debts = {int(m): int(n) for m, n in await conn.execute(owed)}
    problems = []
    for member in sorted(set(rows) | set(entries)):
        paid, debit = rows.get(member, 0), entries.get(member, 0)
        if paid != debit:
            problems.append(f"member {member}: settled {paid} of a debt, the ledger says {debit}")
        if paid > debts.get(member, 0):
            problems.append(
                f"member {member}: settled {paid}, more than the {debts.get(member, 0)} owed"
            )
    return problems
