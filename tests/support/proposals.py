"""Helpers for the governance tests: drive proposals through the real runner."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Invocation, Place, Reply, Tone
from cogs.kit.command import JobHandler
from domain.identity import Platform
from storage.outbox import OutboxRow
from storage.proposals import ProposalVoteRow
from tests.conftest import actor, invoke

CHANNEL = "console"


async def propose(app: App, who: str, line: str) -> int:
    """Create a proposal as `who`; its number."""
    reply = await invoke(app, who, "proposal create", line)
    assert reply.tone is not Tone.ERROR, reply.text
    assert reply.title is not None
    return int(reply.title.split(" ")[0].lstrip("#"))


async def click(app: App, who: str, action_id: str, *, key: str | None = None) -> Reply:
    """Press a button as `who`."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=actor(who),
            key=key or uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL, message_id="card"),
            action_id=action_id,
        )
    )
    assert reply is not None
    return reply


async def react(
    app: App,
    who: str,
    emoji: str,
    message_id: str,
    *,
    added: bool = True,
    is_bot: bool = False,
) -> Reply | None:
    """React (or un-react) to a posted message as `who`."""
    base = actor(who)
    if is_bot:
        from dataclasses import replace

        base = replace(base, is_bot=True)
    return await app.runner.dispatch(
        Invocation(
            actor=base,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL, message_id=message_id),
            reaction=emoji,
            reaction_added=added,
        )
    )


async def post_card(app: App, pid: int, message_id: str) -> None:
    """What an adapter does after posting an anchored card."""
    await app.runner.remember_post(Platform.CONSOLE, "demo", CHANNEL, message_id, f"proposal:{pid}")


async def outbox(app: App) -> list[Any]:
    """The proposals feature's announcements (achievements and level-ups are others')."""
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o).where(o.c.kind.like("proposal.%")).order_by(o.c.id))
        return list(rows.all())


async def counted_votes(app: App, pid: int) -> int:
    v = ProposalVoteRow.__table__
    async with app.database.reader.connect() as conn:
        return int(
            (
                await conn.execute(
                    select(func.count())
                    .select_from(v)
                    .where(v.c.proposal_id == pid, v.c.choice.is_not(None))
                )
            ).scalar_one()
        )


def sweep(app: App) -> JobHandler:
    """The auto-close job's handler, as the scheduler would run it."""
    return next(j for j in app.registry.jobs if j.name == "proposals.close_due").handler
