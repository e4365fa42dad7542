"""Events on Discord with the real discord.py client: slash commands, timestamps, buttons, DMs."""

from __future__ import annotations

from typing import Any

from bot.app import App
from domain.core.clock import FixedClock
from tests.bot.discord.test_interactions import EPHEMERAL, callback_for, embed
from tests.fakes.discord_server import FakeDiscord, Recorded
from tests.support.discord import running_bot

APP_ID = "1100000000000000001"


def sub(name: str, **values: Any) -> list[dict[str, Any]]:
    """One subcommand with its option values, as Discord nests them."""
    options = [{"name": k, "type": 3, "value": v} for k, v in values.items()]
    return [{"type": 1, "name": name, "options": options}]


async def answer_to(fake: FakeDiscord, interaction: dict[str, Any]) -> Recorded:
    """The reply's message: the callback itself, or the follow-up after a deferral."""
    first = await fake.wait_for(callback_for(interaction))
    if first.json["type"] != 5:
        return first
    path = f"/webhooks/{APP_ID}/{interaction['token']}"
    return await fake.wait_for(lambda r: r.method in ("POST", "PATCH") and r.path.startswith(path))


async def test_events_alone_create_card_with_timestamps_and_the_going_button(
    app: App, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, _client):
        empty = fake.slash("events")  # `/events` with no option at all: upcoming
        await fake.dispatch("INTERACTION_CREATE", empty)
        listed = await answer_to(fake, empty)
        assert "No events here." in embed(listed)["description"]

        create = fake.slash(
            "event",
            sub("create", title="Game night", when="tomorrow 18:00", capacity=1),
        )
        create["data"]["options"][0]["options"][2]["type"] = 4  # capacity is an integer
        await fake.dispatch("INTERACTION_CREATE", create)
        card = embed(await answer_to(fake, create))
        assert card["title"] == "📅 #1 · Game night"
        when = next(f["value"] for f in card["fields"] if f["name"] == "When")
        # Discord shows the time in each reader's own zone, and how far away it is.
        assert when.startswith("<t:1794938400:F>") and "<t:1794938400:R>" in when

        click = fake.button("event.rsvp:1:going", message_id="1300000000000000000")
        await fake.dispatch("INTERACTION_CREATE", click)
        going = await answer_to(fake, click)
        assert "You're going to **Game night**" in embed(going)["description"]
        assert going.json["data"]["flags"] & EPHEMERAL

        listed_again = fake.slash("events")
        await fake.dispatch("INTERACTION_CREATE", listed_again)
        assert "Game night" in embed(await answer_to(fake, listed_again))["description"]
