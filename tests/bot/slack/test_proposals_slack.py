"""Governance on Slack: the description form, the card's buttons and 👍/👎 reactions."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.app import App
from tests.bot.slack.conftest import SlackHarness, payload
from tests.support.proposals import counted_votes


def _submission(view: dict[str, Any], text: str) -> dict[str, Any]:
    data = payload("view_submission.json")
    data["team"] = {"id": "T111", "domain": "test"}
    data["user"] = {"id": "U1", "username": "alice", "name": "alice", "team_id": "T111"}
    data["view"].update(
        id="V1",
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        blocks=view["blocks"],
        state={
            "values": {"opt:description": {"value": {"type": "plain_text_input", "value": text}}}
        },
    )
    return data


def _reaction(kind: str, name: str, ts: str, user: str = "U2") -> dict[str, Any]:
    event = payload("reaction_added.json")["event"]
    event.update(type=kind, user=user, reaction=name)
    event["item"] = {"type": "message", "channel": "C1", "ts": ts, "channel_type": "channel"}
    return event


async def test_proposal_from_slack_form_to_votes_by_button_and_reaction(
    slack: SlackHarness, app: App
) -> None:
    await slack.command("/proposal", 'create feature "Dark mode"')
    (opened,) = slack.api.called("views.open")
    view = opened["view"]
    assert [b["block_id"] for b in view["blocks"]] == ["opt:description"]
    await slack.interactive(_submission(view, "A dark theme for the site, please."))
    card = slack.api.called("chat.postMessage")[-1]
    assert card["channel"] == "C1" and "Dark mode" in str(card["blocks"])
    ts = slack.api.answers("chat.postMessage")[-1]["ts"]
    buttons = [
        e
        for block in card["blocks"]
        for e in block.get("elements", ())
        if e.get("type") == "button"
    ]
    assert [b["action_id"] for b in buttons][:3] == [
        "proposal.vote:1:for",
        "proposal.vote:1:against",
        "proposal.vote:1:abstain",
    ]
    await slack.press(
        {"type": "button", "action_id": buttons[0]["action_id"], "value": buttons[0].get("value")},
        message_ts=ts,
    )
    assert "Your vote on *#1* is now *for*" in slack.api.called("respond")[-1]["text"]
    await slack.event(_reaction("reaction_added", "-1", ts))
    assert await counted_votes(app, 1) == 2
    await slack.event(_reaction("reaction_removed", "thumbsdown::skin-tone-2", ts))
    assert await counted_votes(app, 1) == 1
    told = [e["text"] for e in slack.api.called("chat.postEphemeral") if e["user"] == "U2"]
    assert any("took back your *against* vote" in t for t in told), told


async def test_no_log_line_at_debug_ties_a_member_to_an_anonymous_vote(
    slack: SlackHarness, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await slack.command(
        "/proposal", 'create policy "Secret ballot" Vote without being seen --anonymous'
    )
    await slack.command("/vote", "1 for", user="U2", name="bob")
    assert "Your vote on *#1* is now *for*" in slack.api.called("respond")[-1]["text"]
    for record in caplog.records:
        line = record.getMessage()
        assert "Your vote on" not in line and "is now *for*" not in line, (record.name, line)
