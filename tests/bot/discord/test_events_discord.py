"""Events on Discord with the real discord.py client: slash commands, timestamps, buttons, DMs."""

from __future__ import annotations

import uuid
from typing import Any

from bot.app import App
from bot.scheduler.outbox import OutboxDeliverer
from cogs.kit import Actor, Invocation, Reply, Tone
from domain.core.clock import FixedClock
from domain.identity import Platform
from tests.bot.discord.test_interactions import EPHEMERAL, callback_for, embed
from tests.fakes.discord_server import FakeDiscord, Recorded
from tests.support.discord import running_bot

APP_ID = "1100000000000000001"
GUILD = "290926798626357999"
USERS = {"mia": "5100000000000000001", "ana": "5100000000000000002", "bo": "5100000000000000003"}


async def run(app: App, who: str, command: str, text: str = "", *, mod: bool = False) -> Reply:
    """Run a command as a member of the fake's guild, as the adapter would."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=Actor(Platform.DISCORD, GUILD, USERS[who], who, is_moderator=mod),
            key=uuid.uuid4().hex,
            command=command,
            text=text,
        )
    )
    assert reply is not None
    return reply


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


async def test_hackathon_create_takes_its_hyphenated_options_from_a_slash_command(
    app: App,
) -> None:
    async with running_bot(app) as (fake, _client):
        create = fake.slash(
            "hackathon",
            sub("create", title="Winter jam", **{"submit-by": "fri 18:00", "vote-by": "sun 18:00"}),
        )
        create["data"]["options"][0]["options"].append({"name": "team-size", "type": 4, "value": 2})
        await fake.dispatch("INTERACTION_CREATE", create)
        card = embed(await answer_to(fake, create))
        assert card["title"] == "🛠️ Hackathon #1 · Winter jam"
        shown = {f["name"]: f["value"] for f in card["fields"]}
        assert shown["Team size"] == "2"
        assert shown["Submissions until"].startswith("<t:")


async def test_a_drop_out_promotes_the_waitlist_and_discord_delivers_the_dm_once(
    app: App, clock: FixedClock
) -> None:
    async with running_bot(app) as (fake, client):
        created = await run(
            app, "mia", "event create", '"AMA" tomorrow 18:00 --capacity 1', mod=True
        )
        assert created.tone is not Tone.ERROR, created.text
        await run(app, "ana", "event rsvp", "1 going")
        waiting = await run(app, "bo", "event rsvp", "1 going")
        assert "#1** on the waitlist" in waiting.text
        await run(app, "ana", "event rsvp", "1 no")
        outbox = OutboxDeliverer(app.uow, app.config, clock, [client.deliverer])
        await outbox.drain()
        await outbox.drain()  # nothing is sent twice
        posted = fake.calls("POST", r"/channels/\d+/messages")
        titles = [c.json["embeds"][0].get("title") for c in posted]
        assert titles.count("📅 #1 · AMA") == 1  # the card, in the events channel
        [opened] = fake.calls("POST", r"/users/@me/channels")
        assert str(opened.json["recipient_id"]) == USERS["bo"]
        dms = [c for c in fake.created if "A place opened up" in str(c["embeds"])]
        assert len(dms) == 1 and "<t:1794938400:" in str(dms[0]["embeds"])
