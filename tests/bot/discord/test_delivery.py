"""Outbox delivery through the Discord adapter, against the loopback fake."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from bot.delivery import CannotDeliver, Delivery, RetryLater
from cogs.kit import Field, Image, Reply
from domain.core.announcements import Target
from tests.support.discord import CARD_ANCHOR, add_probe_cog, anchored, running_bot

GUILD = "290926798626357999"
GENERAL = "645027906669510667"


def delivery(**changes: object) -> Delivery:
    base: dict[str, object] = {
        "outbox_id": 1,
        "kind": "leaderboard",
        "target": Target.CHANNEL,
        "workspace_id": GUILD,
        "reply": Reply(title="Weekly leaderboard", text="1. ana"),
    }
    base.update(changes)
    return Delivery(**base)  # type: ignore[arg-type]


async def test_channel_post_by_configured_name_returns_channel_and_message_id(app: App) -> None:
    async with running_bot(app) as (fake, client):
        posted = await client.deliverer.deliver(delivery(channel_name="general"))
        channel_id, message_id = posted.split(":")
        assert channel_id == GENERAL and message_id
        call = fake.calls("POST", rf"/channels/{GENERAL}/messages")[0]
        assert call.json["embeds"][0]["title"] == "Weekly leaderboard"
        assert call.json["allowed_mentions"] == {"parse": []}


async def test_posted_card_with_an_anchor_counts_reactions(app: App) -> None:
    probe = add_probe_cog(app)
    async with running_bot(app) as (fake, client):
        card = Reply(title="Card #7", anchor=CARD_ANCHOR)
        posted = await client.deliverer.deliver(delivery(channel_name="general", reply=card))
        channel_id, message_id = posted.split(":")
        assert await anchored(app, channel_id, message_id) == CARD_ANCHOR
        await fake.dispatch("MESSAGE_REACTION_ADD", fake.reaction(message_id, "✅"))
        assert await probe.reactions.get() == ("7", "agree", True)


async def test_channel_post_by_id_dm_and_card_edit(app: App) -> None:
    async with running_bot(app) as (fake, client):
        await client.deliverer.deliver(delivery(channel_id="123456789012345678"))
        assert fake.calls("POST", r"/channels/123456789012345678/messages")
        assert (
            await client.deliverer.deliver(delivery(target=Target.DM, user_id="53908232506183680"))
            is None
        )
        dm = fake.calls("POST", r"/users/@me/channels")[0]
        assert str(dm.json["recipient_id"]) == "53908232506183680"
        await client.deliverer.deliver(
            delivery(target=Target.EDIT, message_ids=((GENERAL, "1300000000000000999"),))
        )
        edit = fake.calls("PATCH", rf"/channels/{GENERAL}/messages/1300000000000000999")[0]
        assert edit.json["embeds"][0]["description"] == "1. ana"


async def test_image_is_uploaded_and_shown_in_the_embed(app: App) -> None:
    async with running_bot(app) as (fake, client):
        reply = Reply(title="Rank card", image=Image(b"\x89PNG fake", "card.png"))
        await client.deliverer.deliver(delivery(channel_id=GENERAL, reply=reply))
        call = fake.calls("POST", rf"/channels/{GENERAL}/messages")[0]
        assert call.files == ["card.png"]
        assert call.json["embeds"][0]["image"]["url"] == "attachment://card.png"


async def test_role_grant_adds_the_named_role(app: App) -> None:
    async with running_bot(app) as (fake, client):
        fake_role = fake.guild["roles"][0]["id"]  # the only role the sample guild has
        await client.deliverer.deliver(
            delivery(
                kind="role_grant",
                target=Target.DM,
                user_id="53908232506183680",
                reply=Reply(fields=(Field("role", "@everyone"),)),
            )
        )
        assert fake.calls("PUT", rf"/guilds/{GUILD}/members/53908232506183680/roles/{fake_role}")


async def test_delivery_before_the_client_started_is_retried_later(app: App) -> None:
    from bot.discord.client import GuildhallClient
    from bot.discord.delivery import DiscordDeliverer

    client = GuildhallClient(app.runner)
    with pytest.raises(RetryLater):
        await DiscordDeliverer(client).deliver(delivery(channel_id=GENERAL))


async def test_long_rate_limit_becomes_retry_later_with_discords_wait(app: App) -> None:
    async with running_bot(app) as (fake, client):
        fake.fail(
            "POST",
            rf"/channels/{GENERAL}/messages",
            429,
            {"message": "You are being rate limited.", "retry_after": 120.0, "global": False},
            headers={"Via": "1.1 google", "Retry-After": "120", "X-RateLimit-Scope": "user"},
        )
        with pytest.raises(RetryLater) as caught:
            await client.deliverer.deliver(delivery(channel_id=GENERAL))
        assert caught.value.after == timedelta(seconds=120)


async def test_missing_permission_becomes_cannot_deliver_and_is_logged(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(app) as (fake, client):
        fake.fail(
            "POST",
            rf"/channels/{GENERAL}/messages",
            403,
            {"message": "Missing Permissions", "code": 50013},
        )
        with pytest.raises(CannotDeliver):
            await client.deliverer.deliver(delivery(channel_id=GENERAL))
        assert "missing permission" in caplog.text


async def test_deleted_channel_or_unknown_name_becomes_cannot_deliver(app: App) -> None:
    async with running_bot(app) as (fake, client):
        fake.fail(
            "POST", r"/channels/1/messages", 404, {"message": "Unknown Channel", "code": 10003}
        )
        with pytest.raises(CannotDeliver):
            await client.deliverer.deliver(delivery(channel_id="1"))
        with pytest.raises(CannotDeliver):
            await client.deliverer.deliver(delivery(channel_name="no-such-channel"))


async def test_a_retried_delivery_returns_the_first_message_instead_of_posting_twice(
    app: App,
) -> None:
    # The deliverer sent, then the process died before recording it: the retry
    # carries the same nonce, and Discord answers with the message it already made.
    async with running_bot(app) as (fake, client):
        first = await client.deliverer.deliver(delivery(channel_id=GENERAL))
        again = await client.deliverer.deliver(delivery(channel_id=GENERAL))
        other = await client.deliverer.deliver(delivery(channel_id=GENERAL, outbox_id=2))
        sent = fake.calls("POST", rf"/channels/{GENERAL}/messages")
        assert len(sent) == 3 and sent[0].json["nonce"] == sent[1].json["nonce"]
        assert sent[0].json["enforce_nonce"] is True and len(sent[0].json["nonce"]) <= 25
        assert first == again != other and len(fake.created) == 2
