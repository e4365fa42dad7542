"""Events on Discord: the slash command, <t:…> timestamps in the embed, RSVP buttons."""

from __future__ import annotations

from bot.app import App
from tests.bot.discord.test_interactions import callback_for, embed
from tests.cogs.event_helpers import counts
from tests.support.discord import running_bot


async def test_event_card_renders_timestamps_and_the_going_button_answers(app: App) -> None:
    async with running_bot(app) as (fake, _client):
        create = fake.slash(
            "event",
            [
                {
                    "type": 1,
                    "name": "create",
                    "options": [
                        {"type": 3, "name": "title", "value": "Game night"},
                        {"type": 3, "name": "when", "value": "tomorrow 18:00"},
                        {"type": 4, "name": "capacity", "value": 5},
                    ],
                }
            ],
        )
        await fake.dispatch("INTERACTION_CREATE", create)
        deferred = await fake.wait_for(callback_for(create))
        assert deferred.json["type"] == 5  # slow: acknowledged first, then followed up
        posted = await fake.wait_for(
            lambda r: r.method == "POST" and r.path.endswith(f"/{create['token']}")
        )
        card = posted.json["embeds"][0]
        when = next(f["value"] for f in card["fields"] if f["name"] == "When")
        assert when == "<t:1794938400:F> (<t:1794938400:R>)"
        buttons = posted.json["components"][0]["components"]
        assert [b["custom_id"] for b in buttons] == [
            "event.rsvp:1:going",
            "event.rsvp:1:maybe",
            "event.rsvp:1:no",
        ]
        click = fake.button("event.rsvp:1:going", message_id="1300000000000000000")
        await fake.dispatch("INTERACTION_CREATE", click)
        answer = await fake.wait_for(callback_for(click))
        assert "You're going to **Game night**" in embed(answer)["description"]
    assert await counts(app) == (1, 0, 0)
