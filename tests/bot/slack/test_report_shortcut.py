"""Slack's "Report message" message shortcut files the same report as a typed /report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.slack.manifest import build_manifest
from cogs.kit import Reply
from storage.outbox import OutboxRow
from tests.bot.slack.conftest import SlackHarness, payload


def _shortcut(slack: SlackHarness, **message: Any) -> dict[str, Any]:
    data = payload("message_action.json")
    data["trigger_id"] = slack.trigger()
    data["response_url"] = slack.api.response_url("shortcut")
    data["message"].update(message)
    return data


async def _cards(app: App) -> list[Reply]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o.c.payload).where(o.c.kind == "report.filed"))
        return [Reply.from_dict(p) for (p,) in rows]


async def test_report_message_shortcut_files_the_report_typed_report_files(
    app: App, slack: SlackHarness
) -> None:
    answer = await slack.interactive(_shortcut(slack))
    assert answer.status == 200  # acknowledged at once; the report is filed after
    thanks = slack.api.called("respond")[-1]
    assert thanks["response_type"] == "ephemeral"
    assert "moderators will look at it" in thanks["text"] and "bob" in thanks["text"]
    (card,) = await _cards(app)
    assert "buy cheap gold" in card.text and "<#C1>" in card.text
    assert {m.display_name for m in card.mentions} == {"alice", "bob"}
    typed = await slack.command("/report", "<@U2|bob> spam again", user="U1")
    assert typed.status == 200
    assert len(await _cards(app)) == 2  # the same command, the same kind of card


async def test_reporting_yourself_through_the_shortcut_is_refused(
    app: App, slack: SlackHarness
) -> None:
    await slack.interactive(_shortcut(slack, user="U1"))
    assert "can't report yourself" in slack.api.called("respond")[-1]["text"]
    assert await _cards(app) == []


async def test_a_retried_shortcut_files_one_report(app: App, slack: SlackHarness) -> None:
    data = _shortcut(slack)
    await slack.interactive(data)
    await slack.interactive(data)  # Slack (or a double click) sends the same trigger again
    assert len(await _cards(app)) == 1


def test_the_manifest_declares_the_message_shortcut(app: App) -> None:
    features = build_manifest(app.registry)["features"]
    assert features["shortcuts"] == [
        {
            "name": "Report message",
            "type": "message",
            "callback_id": "report_message",
            "description": "Tell the moderators about this message",
        }
    ]
