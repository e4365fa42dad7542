"""Helpers shared by the leaderboard, achievement and quest tests: seed through real services."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import App
from domain.core.activity import kind_of
from domain.identity import IdentityRepository, Member, Platform
from storage.outbox import OutboxRow
from tests.conftest import invoke


async def member(app: App, name: str) -> Member:
    """The member behind a console name, enrolling them through the runner on first use."""
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.CONSOLE, "demo", name.lower()
        )
    if found is not None:
        return found
    await invoke(app, name, "help")
    return await member(app, name)


async def award(app: App, name: str, amount: int, key: str) -> None:
    """Credit points through the real ledger service (as an admin award would)."""
    who = await member(app, name)
    async with app.uow() as uow:
        await app.ctx.points.award(uow, who, amount, source="admin", key=key)
        await uow.commit()


async def record(app: App, name: str, kind: str, key: str, **data: Any) -> None:
    """Record an activity of another feature (a vote, a proposal) as its service would."""
    who = await member(app, name)
    async with app.uow() as uow:
        uow.record(
            kind_of(kind)(
                community_id=who.community_id,
                member_id=who.id,
                key=key,
                occurred_at=app.clock.now(),
                **data,
            )
        )
        await uow.commit()


async def count(app: App, table: Any, *where: Any) -> int:
    async with app.database.reader.connect() as conn:
        query = select(func.count()).select_from(table)
        if where:
            query = query.where(*where)
        return int((await conn.execute(query)).scalar_one())


async def outbox(app: App, kind: str) -> list[OutboxRow]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(OutboxRow.__table__).where(OutboxRow.kind == kind))
        return list(rows.all())  # type: ignore[arg-type]


async def balance(app: App, name: str) -> int:
    reply = await invoke(app, name, "points balance")
    return int(reply.text.split("**")[1])
