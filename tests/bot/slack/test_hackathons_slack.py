"""Hackathons on Slack: a moderator's slash command, teams, and the gallery's vote buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from domain.core.clock import FixedClock
from tests.bot.slack.conftest import SlackHarness
from tests.cogs.event_helpers import job, outbox


async def test_a_vote_from_a_gallery_button_is_anonymous_and_never_for_your_own_team(
    slack: SlackHarness, app: App, clock: FixedClock
) -> None:
    slack.api.add_user("U1", "alice", admin=True)
    for user, name in (("U2", "bo"), ("U3", "cy"), ("U4", "dee")):
        slack.api.add_user(user, name)
    await slack.command(
        "/hackathon", 'create "Jam" --submit-by "tomorrow 18:00" --vote-by "in 3 days at 18:00"'
    )
    assert "Hackathon #1 · Jam" in str(slack.api.called("chat.postMessage")[-1])
    await slack.command("/hackathon", "join 1 Owls", user="U2", name="bo")
    await slack.command("/hackathon", "join 1 Foxes", user="U3", name="cy")
    await slack.command(
        "/hackathon", "submit 1 https://example.org/owls Plants", user="U2", name="bo"
    )
    await slack.command(
        "/hackathon", "submit 1 https://example.org/foxes Game", user="U3", name="cy"
    )
    clock.advance(timedelta(days=1, hours=7))
    await job(app, "hackathons.deadlines")(clock.now())
    (gallery,) = await outbox(app, "hackathon.gallery")
    owls, _foxes = (b["action_id"] for b in gallery.payload["buttons"])

    await slack.press({"type": "button", "action_id": owls}, message_ts="1.1", user="U2")
    assert "your own team" in str(slack.api.called("respond")[-1])
    await slack.press({"type": "button", "action_id": owls}, message_ts="1.1", user="U4")
    voted = str(slack.api.called("respond")[-1])
    assert "Nobody will ever see" in voted and "Owls" not in voted
    await slack.press({"type": "button", "action_id": owls}, message_ts="1.1", user="U4")
    assert "already voted" in str(slack.api.called("respond")[-1])
