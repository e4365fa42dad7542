"""A member leaves a platform: `[mydata] on_member_left` keeps or erases their data.

Discord's GUILD_MEMBER_REMOVE through the real discord.py client and Slack's
`user_change` (deactivated) through the real Bolt app; the rules themselves
(an account linked elsewhere is only detached) through the hook both call.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from cogs.kit import Actor
from cogs.mydata.departures import member_left
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from storage.audit import AuditRow
from storage.identity import AccountRow, MemberRow
from tests.bot.slack.conftest import SlackHarness
from tests.cogs.community_support import (
    GUILD,
    assert_db_clean,
    discord,
    discord_id,
    link_accounts,
    link_workspaces,
    member_of,
    run,
    slack,
)
from tests.fakes.slack_api import TEAM_ID
from tests.support.discord import running_bot

LEAVER = "444444444444444444"


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(mydata={"on_member_left": "erase"})


async def _name_of(app: App, member_id: int) -> str:
    async with app.database.reader.connect() as conn:
        found = await conn.execute(select(MemberRow.display_name).where(MemberRow.id == member_id))
        return str(found.scalar_one())


async def _accounts(app: App, member_id: int) -> list[str]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(AccountRow.platform).where(AccountRow.member_id == member_id)
        )
        return sorted(str(r[0]) for r in rows)


async def _audit_kinds(app: App) -> list[str]:
    async with app.database.reader.connect() as conn:
        return [str(r[0]) for r in await conn.execute(select(AuditRow.kind))]


async def _until_tombstoned(app: App, member_id: int) -> None:
    async with asyncio.timeout(10):
        # The member row is the only signal (the event handler answers nobody).
        while await _name_of(app, member_id) != "deleted member":  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_leaving_the_discord_server_erases_the_member_when_configured(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        checkin = fake.slash("checkin")
        checkin["member"]["user"].update({"id": LEAVER, "username": "lea", "global_name": "lea"})
        await fake.dispatch("INTERACTION_CREATE", checkin)
        await fake.wait_for(lambda r: r.path.startswith(f"/interactions/{checkin['id']}/"))
        leaver = await member_of(app, Actor(Platform.DISCORD, fake.guild["id"], LEAVER, "lea"))
        user = {"id": LEAVER, "username": "lea", "discriminator": "0", "avatar": None}
        await fake.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": fake.guild["id"], "user": user})
        await _until_tombstoned(app, leaver)
        # Discord may send it again (a resumed session): nothing is left to erase.
        await fake.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": fake.guild["id"], "user": user})
    assert await _accounts(app, leaver) == []
    assert (await _audit_kinds(app)).count("member.left") == 1
    await assert_db_clean(app)  # the check-in's points stay in the totals


async def test_a_deactivated_slack_member_is_erased_and_profile_edits_change_nothing(
    app: App, slack: SlackHarness
) -> None:
    await slack.command("/checkin", user="U2", name="bob")
    await slack.command("/checkin", user="U1", name="alice")
    bob = await member_of(app, Actor(Platform.SLACK, TEAM_ID, "U2", "bob"))
    alice = await member_of(app, Actor(Platform.SLACK, TEAM_ID, "U1", "alice"))
    edit = {"type": "user_change", "user": {"id": "U1", "team_id": TEAM_ID, "deleted": False}}
    assert (await slack.event(edit)).status == 200
    gone = {"type": "user_change", "user": {"id": "U2", "team_id": TEAM_ID, "deleted": True}}
    assert (await slack.event(gone)).status == 200  # the harness waits for the work
    assert await _name_of(app, bob) == "deleted member" and await _accounts(app, bob) == []
    assert await _name_of(app, alice) == "alice" and await _accounts(app, alice) == ["slack"]
    await assert_db_clean(app)


async def test_an_account_linked_elsewhere_is_only_detached(app: App) -> None:
    await run(app, discord("alice"), "checkin")
    await link_workspaces(app)
    await run(app, slack("alice"), "checkin")
    await link_accounts(app, discord("alice"), slack("alice"))
    alice = await member_of(app, slack("alice"))
    done = await member_left(app.runner.ctx, Platform.DISCORD, GUILD, discord_id("alice"))
    assert done == "account_removed"
    assert await _name_of(app, alice) == "alice" and await _accounts(app, alice) == ["slack"]
    again = await member_left(app.runner.ctx, Platform.DISCORD, GUILD, discord_id("alice"))
    assert again == "unknown"  # the account is gone: a repeated event changes nothing
    await assert_db_clean(app)


async def test_by_default_a_departure_keeps_everything(
    app: App, database_url: str, clock: FixedClock
) -> None:
    await run(app, discord("alice"), "checkin")
    alice = await member_of(app, discord("alice"))
    default = await build_app(database_url, CommunityConfig(), clock=clock, upgrade=False)
    try:
        done = await member_left(default.runner.ctx, Platform.DISCORD, GUILD, discord_id("alice"))
    finally:
        await default.close()
    assert done == "kept"
    assert await _name_of(app, alice) == "alice" and await _accounts(app, alice) == ["discord"]
