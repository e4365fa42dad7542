"""Mentoring on Slack: request, accept at another time, rate by button, comment in a modal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from storage.mentoring import MentorRatingRow
from tests.bot.slack.conftest import SlackHarness, payload


def _submission(view: dict[str, Any], text: str) -> dict[str, Any]:
    data = payload("view_submission.json")
    data["team"] = {"id": "T111", "domain": "test"}
    data["user"] = {"id": "U1", "username": "alice", "name": "alice", "team_id": "T111"}
    data["view"].update(
        id="V1",
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        blocks=view["blocks"],
        state={"values": {"opt:comment": {"value": {"type": "plain_text_input", "value": text}}}},
    )
    return data


async def test_slack_session_rated_by_button_then_commented_in_a_modal(
    slack: SlackHarness, app: App
) -> None:
    await slack.command("/mentor", 'profile set --topics "python"', user="U2", name="ana")
    await slack.command("/mentor", "request <@U2|ana> general help with asyncio", user="U1")
    await slack.command("/session", 'accept 1 --when "2026-12-24 18:00"', user="U2", name="ana")
    assert "Confirmed: session" in str(slack.api.called("respond")[-1])
    await slack.command("/session", "complete 1", user="U2", name="ana")
    await slack.press({"type": "button", "action_id": "mentoring.rate:1:5"}, message_ts="1.1")
    assert "/session comment 1" in str(slack.api.called("respond")[-1])
    # The rating's "Add a comment" button opens the comment form, as /session comment 1 does.
    await slack.press(
        {"type": "button", "action_id": "x", "value": "mentoring.comment:1"}, message_ts="1.2"
    )
    (opened,) = slack.api.called("views.open")
    assert [b["block_id"] for b in opened["view"]["blocks"]] == ["opt:comment"]
    await slack.command("/session", "comment 1", user="U1")
    assert len(slack.api.called("views.open")) == 2
    await slack.interactive(_submission(opened["view"], "Patient and clear."))
    async with app.database.reader.connect() as conn:
        stars, comment = (
            await conn.execute(select(MentorRatingRow.stars, MentorRatingRow.comment))
        ).one()
    assert (stars, comment) == (5, "Patient and clear.")
