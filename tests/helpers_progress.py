"""Helpers for the progress, ledger-extras and streak tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from domain.core.activity import kind_of
from domain.identity import IdentityRepository, Member, Platform
from storage.outbox import OutboxRow
from tests.conftest import invoke


async def member(app: App, name: str) -> Member:
    """The member behind console user `name`, enrolling them if needed."""
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.CONSOLE, "demo", name.lower()
        )
    if found is None:
        await invoke(app, name, "help")
        return await member(app, name)
    return found


async def emit(app: App, who: Member, kind: str, key: str, **data: Any) -> None:
    """Record an activity as another feature would, in its own transaction."""
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


async def outbox(app: App, kind: str) -> list[OutboxRow]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(OutboxRow.__table__).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
        )
        return list(rows)  # type: ignore[arg-type]
