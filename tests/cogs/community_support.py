"""Drive the community features as members of a Discord guild and a Slack workspace."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from sqlalchemy import func, select

from bot.app import App
from bot.discord.adapter import discord_member_parser
from bot.slack.adapter import slack_member_parser
from cogs.kit import Actor, Invocation, Place, Reply
from domain.identity import Platform
from storage.identity import AccountRow, WorkspaceRow
from storage.outbox import OutboxRow
from storage.points import BalanceRow
from tests.helpers_ledger import assert_ledger_sound

GUILD = "G1"
TEAM = "T1"
CODE = re.compile(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*")


def discord_id(name: str) -> str:
    """A snowflake-like numeric id, stable per name."""
    return str(int.from_bytes(name.encode()[:7], "big"))


def slack_id(name: str) -> str:
    return "U" + name.upper()


def discord(name: str, *, mod: bool = False) -> Actor:
    return Actor(Platform.DISCORD, GUILD, discord_id(name), name, is_moderator=mod)


def slack(name: str, *, mod: bool = False) -> Actor:
    return Actor(Platform.SLACK, TEAM, slack_id(name), name, is_moderator=mod)


async def run(app: App, who: Actor, command: str, text: str = "") -> Reply:
    """A command through the real runner, as the platform's adapter hands it over.

    Each adapter registers how its platform writes a mention (`<@123>`, `<@U1>`);
    the adapters are not running here, so their parsers are registered the same way.
    """
    app.runner.member_parsers[Platform.DISCORD] = discord_member_parser
    app.runner.member_parsers[Platform.SLACK] = slack_member_parser
    reply = await app.runner.dispatch(
        Invocation(
            actor=who,
            key=uuid.uuid4().hex,
            place=Place(channel_id="c1"),
            command=command,
            text=text,
            community_name=f"{who.platform} side",
        )
    )
    assert reply is not None
    return reply


async def press(app: App, who: Actor, action_id: str) -> Reply:
    reply = await app.runner.dispatch(
        Invocation(
            actor=who,
            key=uuid.uuid4().hex,
            place=Place(channel_id="c1", message_id="m1"),
            action_id=action_id,
        )
    )
    assert reply is not None
    return reply


def code_in(reply: Reply) -> str:
    found = CODE.search(reply.text)
    assert found is not None, reply.text
    return found.group(1)


async def dm_code(app: App, who: Actor) -> str:
    """The newest link code DMed to `who` (queued in the outbox by /link)."""
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        payload = (
            await conn.execute(
                select(o.c.payload)
                .where(o.c.kind == "link_code", o.c.member_id == await member_of(app, who))
                .order_by(o.c.id.desc())
                .limit(1)
            )
        ).scalar_one()
    found = CODE.search(str(payload["text"]))
    assert found is not None, payload
    return found.group(1)


async def member_code(app: App, who: Actor) -> str:
    """Run /link as `who`: the reply only says a DM is on its way; the code is in the DM."""
    reply = await run(app, who, "link")
    assert CODE.search(reply.text) is None and "direct message" in reply.text, reply.text
    return await dm_code(app, who)


async def link_workspaces(app: App, keep: str = "there") -> Reply:
    """A Discord moderator starts, a Slack moderator finishes and confirms."""
    code = code_in(await run(app, discord("dmod", mod=True), "admin link start"))
    card = await run(app, slack("smod", mod=True), "admin link finish", code)
    button = next(b for b in card.buttons if b.action_id.endswith(f":{keep}"))
    return await press(app, slack("smod", mod=True), button.action_id)


async def link_accounts(app: App, first: Actor, second: Actor) -> Reply:
    return await run(app, second, "link", await member_code(app, first))


async def communities_of_workspaces(app: App) -> dict[str, int]:
    w = WorkspaceRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(w.c.workspace_id, w.c.community_id))
        return {r[0]: int(r[1]) for r in rows}


async def member_of(app: App, who: Actor) -> int:
    a = AccountRow.__table__
    async with app.database.reader.connect() as conn:
        return int(
            (
                await conn.execute(
                    select(a.c.member_id).where(
                        a.c.platform == str(who.platform),
                        a.c.workspace_id == who.workspace_id,
                        a.c.user_id == who.user_id,
                    )
                )
            ).scalar_one()
        )


async def total_points(app: App) -> int:
    b = BalanceRow.__table__
    async with app.database.reader.connect() as conn:
        return int((await conn.execute(select(func.coalesce(func.sum(b.c.points), 0)))).scalar())


async def assert_db_clean(app: App) -> None:
    """What `guildhall db check` checks: balances match the ledger, escrow adds up, and
    counters and XP match the activity log (after merges and erasures too)."""
    from storage.projections import projection_mismatches

    await assert_ledger_sound(app)
    drift = await projection_mismatches(app.database.reader)
    assert drift == [], drift


async def exported_data(app: App, who: str) -> dict[str, Any]:
    """Run /mydata export as console member `who`; the file comes by DM through the outbox."""
    from tests.conftest import invoke

    reply = await invoke(app, who, "mydata export")
    assert reply.file is None and reply.ephemeral and "direct message" in reply.text, reply.text
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        target, payload = (
            await conn.execute(
                select(o.c.target, o.c.payload)
                .where(o.c.kind == "mydata_export")
                .order_by(o.c.id.desc())
                .limit(1)
            )
        ).one()
    dm = Reply.from_dict(payload)
    assert target == "dm" and dm.file is not None
    assert dm.file.content_type == "application/json"
    return dict(json.loads(dm.file.data))
