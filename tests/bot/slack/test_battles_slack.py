"""Battles on Slack: the real slack-bolt app, its buttons, the entry modal and votes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.app import App
from domain.battles import Status
from domain.core.clock import FixedClock
from tests.bot.slack.conftest import SlackHarness, payload
from tests.cogs.battle_helpers import battle, outbox, run_timers


def _submission(view: dict[str, Any], text: str) -> dict[str, Any]:
    data = payload("view_submission.json")
    data["team"] = {"id": "T111", "domain": "test"}
    data["user"] = {"id": "U1", "username": "alice", "name": "alice", "team_id": "T111"}
    data["view"].update(
        id="V1",
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        blocks=view["blocks"],
        state={"values": {"opt:entry": {"value": {"type": "plain_text_input", "value": text}}}},
    )
    return data


async def test_slack_challenge_buttons_modal_entry_and_vote(
    slack: SlackHarness, app: App, clock: FixedClock
) -> None:
    await slack.command("/battle", "open Explain DNS in a line", user="U1", name="alice")
    card = slack.api.called("chat.postMessage")[-1]
    ts = slack.api.answers("chat.postMessage")[-1]["ts"]
    buttons = [
        e
        for block in card["blocks"]
        for e in block.get("elements", ())
        if e.get("type") == "button"
    ]
    assert [b["action_id"] for b in buttons] == ["battle.accept:1"]
    await slack.press(
        {"type": "button", "action_id": "battle.accept:1", "value": buttons[0].get("value")},
        message_ts=ts,
        user="U2",
    )
    assert (await battle(app, 1)).status is Status.ACTIVE
    await slack.command("/battle", "submit 1", user="U1", name="alice")
    (opened,) = slack.api.called("views.open")
    assert [b["block_id"] for b in opened["view"]["blocks"]] == ["opt:entry"]
    await slack.interactive(_submission(opened["view"], "The internet's phone book"))
    await slack.command("/battle", "submit 1 Names into numbers", user="U2", name="bob")
    assert (await battle(app, 1)).status is Status.VOTING
    reveal = [r for r in await outbox(app) if r.kind == "battle.reveal"]
    assert len(reveal) == 1 and "phone book" in reveal[0].payload["text"]
    await slack.command("/battle", "vote 1 a", user="U3", name="carol")
    await slack.command("/battle", "vote 1 a", user="U1", name="alice")
    told = str(slack.api.called("respond")[-2:])
    assert "counted" in told and "can't vote" in told
    clock.advance(timedelta(days=2))
    await run_timers(app, clock.now())
    assert (await battle(app, 1)).status is Status.FINISHED  # one vote: a draw, no quorum


async def test_slack_random_challenge_decline_button_lists_stats_and_the_board(
    slack: SlackHarness, app: App
) -> None:
    """The rest of the surface on Slack: /battle random to a member, Decline, /battles,
    /battle stats and /leaderboard battle all answer, none with an error."""
    await slack.command("/battle", "stats", user="U2", name="bob")  # bob is known here
    await slack.command("/battle", "random @bob", user="U1", name="alice")
    b = await battle(app, 1)
    assert b.status is Status.PENDING and b.opponent_id is not None and b.topic is not None
    card = slack.api.called("chat.postMessage")[-1]
    ts = slack.api.answers("chat.postMessage")[-1]["ts"]
    actions = [
        e["action_id"]
        for block in card["blocks"]
        for e in block.get("elements", ())
        if e.get("type") == "button"
    ]
    assert actions == ["battle.accept:1", "battle.decline:1"]
    await slack.press({"type": "button", "action_id": "battle.decline:1"}, message_ts=ts, user="U2")
    assert (await battle(app, 1)).status is Status.DECLINED
    await slack.command("/battles", "past", user="U1", name="alice")
    await slack.command("/battle", "stats @bob", user="U1", name="alice")
    await slack.command("/leaderboard", "battle all", user="U1", name="alice")
    told = str(slack.api.called("respond")[-3:]) + str(slack.api.called("chat.postMessage")[-3:])
    assert "Past battles" in told and "Battle record" in told and "Battles — all time" in told
    assert app.runner.unhandled_errors == 0
