"""Helpers for the events tests: drive events through the real runner."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from bot.app import App
from cogs.kit import Invocation, Place, Reply, Tone
from storage.events import OccurrenceRow, RsvpRow
from storage.outbox import OutboxRow
from tests.conftest import actor, invoke


async def create(app: App, line: str, who: str = "mia") -> Reply:
    """Create an event as moderator `who`; the card."""
    reply = await invoke(app, who, "event create", line, mod=True)
    assert reply.tone is not Tone.ERROR, reply.text
    return reply


async def click(app: App, who: str, action_id: str, *, key: str | None = None) -> Reply:
    """Press a button as `who`."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=actor(who),
            key=key or uuid.uuid4().hex,
            place=Place(channel_id="console", message_id="card"),
            action_id=action_id,
        )
    )
    assert reply is not None
    return reply


async def outbox(app: App, prefix: str = "event.") -> list[Any]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o).where(o.c.kind.like(f"{prefix}%")).order_by(o.c.id))
        return list(rows.all())


async def rsvps(app: App, occurrence_id: int = 1) -> dict[str, list[tuple[int, int]]]:
    """answer -> [(member id, seq)] in seq order."""
    r = RsvpRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(r.c.answer, r.c.member_id, r.c.seq)
            .where(r.c.occurrence_id == occurrence_id)
            .order_by(r.c.seq)
        )
        out: dict[str, list[tuple[int, int]]] = {}
        for answer, member, seq in rows:
            out.setdefault(answer, []).append((member, seq))
        return out


async def counts(app: App, occurrence_id: int = 1) -> tuple[int, int, int]:
    """(going, maybe, waitlisted) as the occurrence row caches them."""
    o = OccurrenceRow.__table__
    async with app.database.reader.connect() as conn:
        row = (
            await conn.execute(
                select(o.c.going, o.c.maybe, o.c.waitlisted).where(o.c.id == occurrence_id)
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2])


async def enrol(app: App, names: list[str]) -> None:
    for name in names:
        await invoke(app, name, "help")


def job(app: App, name: str = "events.timers") -> Any:
    return next(j for j in app.registry.jobs if j.name == name).handler
