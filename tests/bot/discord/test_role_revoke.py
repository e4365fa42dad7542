"""A `role_revoke` announcement (a premium plan ended) removes the named role on Discord."""

from __future__ import annotations

from bot.app import App
from bot.delivery import Delivery
from cogs.kit import Field, Reply
from domain.core.announcements import Target
from tests.support.discord import running_bot

GUILD = "290926798626357999"
USER = "53908232506183680"


async def test_role_revoke_removes_the_named_role_and_still_sends_the_words(app: App) -> None:
    async with running_bot(app) as (fake, client):
        role = fake.guild["roles"][0]["id"]  # the only role the sample guild has
        await client.deliverer.deliver(
            Delivery(
                outbox_id=1,
                kind="role_revoke",
                target=Target.DM,
                workspace_id=GUILD,
                user_id=USER,
                reply=Reply(text="Your Pro plan has ended", fields=(Field("role", "@everyone"),)),
            )
        )
        assert fake.calls("DELETE", rf"/guilds/{GUILD}/members/{USER}/roles/{role}")
        assert not fake.calls("PUT", rf"/guilds/{GUILD}/members/{USER}/roles/{role}")
        assert fake.calls("POST", r"/users/@me/channels")  # the DM with the words
