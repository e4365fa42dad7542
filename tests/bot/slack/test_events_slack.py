"""Events on Slack: the card with <!date> times and Block Kit buttons, RSVPs by button."""

from __future__ import annotations

import pytest

from bot.app import App
from domain.core.config import CommunityConfig
from domain.events import EventsSection
from tests.bot.slack.conftest import SlackHarness
from tests.cogs.event_helpers import counts


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(events=EventsSection(who_can_create="members"))  # type: ignore[arg-type]


async def test_event_card_shows_a_localised_date_and_buttons_fill_then_waitlist(
    slack: SlackHarness, app: App
) -> None:
    await slack.command("/event", 'create "Game night" tomorrow 18:00 --capacity 1')
    card = slack.api.called("chat.postMessage")[-1]
    blocks = str(card["blocks"])
    assert "Game night" in blocks
    assert "<!date^1794938400^{date_long_pretty} at {time}|Tue 17 Nov 2026 18:00 UTC>" in blocks
    ts = slack.api.answers("chat.postMessage")[-1]["ts"]
    buttons = [
        e
        for block in card["blocks"]
        for e in block.get("elements", ())
        if e.get("type") == "button"
    ]
    going = buttons[0]
    assert going["action_id"] == "event.rsvp:1:going"
    await slack.press({"type": "button", "action_id": going["action_id"]}, message_ts=ts)
    assert "You're going" in slack.api.called("respond")[-1]["text"]
    await slack.press({"type": "button", "action_id": going["action_id"]}, message_ts=ts, user="U2")
    assert "on the waitlist" in slack.api.called("respond")[-1]["text"]
    assert await counts(app) == (1, 0, 1)


async def test_bare_slash_events_lists_what_is_coming_up_and_feed_gives_a_link(
    slack: SlackHarness,
) -> None:
    await slack.command("/events", "")
    assert "No events here." in str(slack.api.called("respond")[-1])
    await slack.command("/event", 'create "Study night" tomorrow 18:00')
    await slack.command("/events", "")
    assert "Study night" in str(slack.api.called("respond")[-1])
    await slack.command("/events", "feed")
    assert "/ical/" in str(slack.api.called("respond")[-1])
