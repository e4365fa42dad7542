"""Helpers for the battle tests: drive battles through the real runner and jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.app import App
from cogs.battles import jobs
from cogs.kit import Reply, Tone
from domain.battles import Battle, BattleId, BattleRepository
from domain.core.ids import CommunityId
from storage.outbox import OutboxRow
from tests.conftest import invoke
from tests.support.proposals import click

__all__ = ["battle", "challenge", "click", "fight", "outbox", "run_timers"]


def number(reply: Reply) -> int:
    """The battle number in a card's title ("⚔️ Battle #3 · …")."""
    assert reply.tone is not Tone.ERROR, reply.text
    assert reply.title is not None, reply
    return int(reply.title.split("#", 1)[1].split(" ")[0])


async def challenge(app: App, who: str, line: str, command: str = "battle challenge") -> int:
    return number(await invoke(app, who, command, line))


async def battle(app: App, bid: int) -> Battle:
    async with app.uow(read_only=True) as uow:
        found = await uow.get(BattleRepository).get(CommunityId(1), BattleId(bid))
    assert found is not None
    return found


async def fight(app: App, one: str, two: str, line: str = "Explain DNS briefly") -> int:
    """A battle between `one` and `two`, accepted, both entries in (so revealed)."""
    bid = await challenge(app, one, f"@{two} {line}")
    accepted = await invoke(app, two, "battle accept", str(bid))
    assert accepted.tone is Tone.SUCCESS, accepted.text
    for who in (one, two):
        sent = await invoke(app, who, "battle submit", f"{bid} my answer, by {who}")
        assert sent.tone is Tone.SUCCESS, sent.text
    return bid


async def run_timers(app: App, now: datetime) -> int:
    return await jobs.sweep_timers(app.ctx, now)


async def outbox(app: App, prefix: str = "battle.") -> list[Any]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o).where(o.c.kind.like(f"{prefix}%")).order_by(o.c.id))
        return list(rows.all())
