"""Helpers for the marketplace tests: funded members, buttons, the deadline job, DMs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.app import App
from cogs.kit import Invocation, Place, Reply, Tone
from storage.achievements import MemberAchievementRow, MemberCounterRow
from storage.outbox import OutboxRow
from tests.conftest import actor, invoke
from tests.helpers_ledger import fund
from tests.support.progress import member


async def funded(app: App, name: str, points: int) -> None:
    await fund(app, await member(app, name), points, f"fund:{name}:{points}")


async def balance(app: App, name: str) -> int:
    async with app.uow(read_only=True) as uow:
        return await app.ctx.points.balance(uow, (await member(app, name)).id)


async def sell(app: App, who: str, line: str) -> int:
    """List something as `who`; the listing's number."""
    reply = await invoke(app, who, "market sell", line)
    assert reply.tone is Tone.SUCCESS, reply.text
    return int(reply.text.split("**#")[1].split(" ")[0])


async def buy(app: App, who: str, listing: int, note: str = "") -> int:
    """Order a listing as `who`; the order's number."""
    reply = await invoke(app, who, "market buy", f"{listing} {note}".strip())
    assert reply.tone is Tone.SUCCESS, reply.text
    return int(reply.text.split("**")[1].lstrip("#"))


async def click(app: App, who: str, action_id: str, *, mod: bool = False) -> Reply:
    """Press a button as `who`."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=actor(who, mod=mod),
            key=uuid.uuid4().hex,
            place=Place(channel_id="console", message_id="card"),
            action_id=action_id,
        )
    )
    assert reply is not None
    return reply


async def run_deadlines(app: App, now: datetime) -> None:
    job = next(j for j in app.registry.jobs if j.name == "market.deadlines")
    await job.handler(now)


async def announcements(app: App, kind: str) -> list[Any]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o).where(o.c.kind == kind).order_by(o.c.id))
        return list(rows.all())


async def unlocked(app: App, name: str) -> list[str]:
    """Achievement ids the member holds."""
    who = await member(app, name)
    t = MemberAchievementRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(t.c.achievement_id).where(t.c.member_id == who.id).order_by(t.c.achievement_id)
        )
        return [str(r[0]) for r in rows]


async def counters(app: App, name: str) -> dict[str, int]:
    """The member's achievement counters."""
    who = await member(app, name)
    t = MemberCounterRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(t.c.counter, t.c.value).where(t.c.member_id == who.id))
        return {str(r[0]): int(r[1]) for r in rows}
