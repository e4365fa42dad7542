"""The headline, end to end: one community and one alice across a Discord guild and Slack.

The real discord.py client against the Discord fake and the real Bolt app against the
Slack fake share one App: moderators link the guild and the workspace, alice links her
two accounts, checks in on Discord and gives points on Slack, and /leaderboard on both
platforms shows one alice; `guildhall db check` finds nothing wrong.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any

from bot.app import App
from bot.discord.client import GuildhallClient
from bot.scheduler import OutboxDeliverer
from domain.core.clock import FixedClock
from tests.bot.slack.conftest import SlackHarness
from tests.cogs.community_support import assert_db_clean
from tests.fakes.discord_server import FakeDiscord, Recorded
from tests.support.discord import running_bot

ALICE_D = "111111111111111111"
CODE = re.compile(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*|\*([A-Z0-9]{4}-[A-Z0-9]{4})\*")


def _as_alice(interaction: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(interaction)
    data["member"]["user"].update({"id": ALICE_D, "username": "alice", "global_name": "alice"})
    data["member"]["permissions"] = "0"  # not a moderator
    return data


async def _discord(fake: FakeDiscord, interaction: dict[str, Any]) -> str:
    await fake.dispatch("INTERACTION_CREATE", interaction)
    prefix = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    answer: Recorded = await fake.wait_for(lambda r: r.method == "POST" and r.path == prefix)
    data = answer.json.get("data", {})
    if answer.json.get("type") == 5:  # deferred (a loaded machine passes the 3 s budget)
        token = interaction["token"]
        follow_up = await fake.wait_for(
            lambda r: (
                r.method == "POST" and r.path.startswith("/webhooks/") and r.path.endswith(token)
            )
        )
        data = follow_up.json
    return " ".join(
        [data.get("content") or "", *(e.get("description", "") for e in data.get("embeds", []))]
    )


def _code(text: str) -> str:
    found = CODE.search(text)
    assert found is not None, text
    return found.group(1) or found.group(2)


async def _deliver(
    app: App, clock: FixedClock, client: GuildhallClient, slack: SlackHarness
) -> None:
    """Send what the outbox holds (the DMs) through both platforms' real deliverers."""
    await OutboxDeliverer(
        app.uow, app.config, clock, [client.deliverer, slack.adapter.deliverer]
    ).drain()


async def _link_workspaces(fake: FakeDiscord, slack: SlackHarness) -> None:
    """A Discord moderator starts the link; a Slack admin finishes and confirms it."""
    start = fake.slash(
        "admin", [{"type": 2, "name": "link", "options": [{"type": 1, "name": "start"}]}]
    )
    code = _code(await _discord(fake, start))
    await slack.command("/admin", f"link finish {code}", user="UADMIN", name="mia")
    card = slack.api.called("respond")[-1]
    assert "Acceptance Guild" in card["text"] and "Test Guild" in card["text"]
    keep = next(b for b in _buttons(card) if "Acceptance Guild" in b["text"]["text"])
    await slack.press(
        {"type": "button", "action_id": keep["action_id"], "value": keep.get("value", "")},
        message_ts="1.1",
        user="UADMIN",
    )
    assert "Linked" in slack.api.called("respond")[-1]["text"]


def _buttons(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in response.get("blocks", ())
        for element in block.get("elements", ())
        if element.get("type") == "button"
    ]


async def test_one_alice_on_both_platforms_after_linking(
    app: App, slack: SlackHarness, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, _client):
        # Both sides have history before anything is linked.
        await slack.command("/checkin", user="U1", name="alice")
        await _discord(fake, _as_alice(fake.slash("checkin")))

        await _link_workspaces(fake, slack)

        # alice links her Slack account to her Discord one: the code comes by Slack DM.
        await slack.command("/link", user="U1", name="alice")
        issued = slack.api.called("respond")[-1]
        assert issued["response_type"] == "ephemeral" and CODE.search(issued["text"]) is None
        await _deliver(app, clock, _client, slack)
        dm = next(c for c in slack.api.called("chat.postMessage") if c["channel"] == "DU1")
        finish = _as_alice(
            fake.slash("link", [{"type": 3, "name": "code", "value": _code(dm["text"])}])
        )
        assert "Linked" in await _discord(fake, finish)

        # Next day: a check-in on Discord, a gift on Slack, from one balance.
        clock.set(clock.now() + timedelta(days=1))
        assert "checked in" in await _discord(fake, _as_alice(fake.slash("checkin")))
        await slack.command("/points", "give <@U2|bob> 3 thanks", user="U1", name="alice")
        assert "<@U2>" in slack.api.called("respond")[-1]["text"]

        # One alice on both leaderboards, mentioned the way each platform knows her.
        await slack.command("/points", "balance", user="U1", name="alice")
        assert "*27*" in slack.api.called("respond")[-1]["text"]  # 30 earned, 3 given
        await slack.command("/leaderboard", "points all", user="U1", name="alice")
        on_slack = slack.api.called("respond")[-1]["text"]
        board = [
            {"type": 3, "name": "board", "value": "points"},
            {"type": 3, "name": "period", "value": "all"},
        ]
        on_discord = await _discord(fake, fake.slash("leaderboard", board))
    # Both accounts' check-ins earned points (10 each); the board lists her once.
    assert on_slack.count("@alice") == 1 and "*30* points" in on_slack
    assert on_discord.count(f"<@{ALICE_D}>") == 1 and "**30** points" in on_discord
    assert "You're #1" in on_slack
    await assert_db_clean(app)


async def test_link_code_goes_by_discord_dm_never_into_the_channel(
    app: App, slack: SlackHarness, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, client):
        await _link_workspaces(fake, slack)
        said = await _discord(fake, _as_alice(fake.slash("link")))
        assert "direct message" in said and CODE.search(said) is None
        await _deliver(app, clock, client, slack)
        opened = await fake.wait_for(
            lambda r: r.method == "POST" and r.path == "/users/@me/channels"
        )
        assert str(opened.json["recipient_id"]) == ALICE_D
        dm = await fake.wait_for(
            lambda r: (
                r.method == "POST"
                and r.path.startswith("/channels/")
                and "link code" in str(r.json)
            )
        )
        body = dm.json.get("content") or " ".join(
            e.get("description", "") for e in dm.json["embeds"]
        )
        await slack.command("/link", _code(body), user="U1", name="alice")
        assert "Linked" in slack.api.called("respond")[-1]["text"]
        await _deliver(app, clock, client, slack)  # delivering again sends nothing twice
        assert len(fake.calls("POST", "/users/@me/channels")) == 1
    await assert_db_clean(app)
