"""The ledger invariant as one assertion any feature's test can end with.

`await assert_ledger_sound(app)` checks what `guildhall db check` checks:
every cached balance equals its ledger rows, every escrow hold agrees with
its payouts and ledger entries, and balances + open escrow + fees collected
= everything the ledger issued.
"""

from __future__ import annotations

from bot.app import App
from domain.identity import Member
from domain.points.model import EntryKind
from storage.check import ledger_problems, ledger_totals


async def assert_ledger_sound(app: App) -> None:
    """Fail with every problem `guildhall db check` would print."""
    problems = await ledger_problems(app.database.reader)
    assert problems == [], "ledger check failed:\n" + "\n".join(problems)


async def open_escrow(app: App) -> int:
    """Points held in escrow right now, over all communities."""
    return (await ledger_totals(app.database.reader)).escrow


async def fund(app: App, who: Member, amount: int, key: str) -> None:
    """Give a member `amount` points (a moderator-free adjustment) in its own transaction."""
    async with app.uow() as uow:
        await app.ctx.points.award(
            uow, who, amount, source="test", key=key, kind=EntryKind.ADJUSTED
        )
        await uow.commit()
