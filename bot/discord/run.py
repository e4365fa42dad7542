"""Start the Discord client for `guildhall run`."""

from __future__ import annotations

import logging

import discord

from bot.app import App
from bot.discord.client import GuildhallClient
from bot.discord.endpoints import point_at
from bot.settings import Settings
from domain.referrals import InviteMaker

log = logging.getLogger(__name__)


def build_client(app: App, settings: Settings) -> GuildhallClient:
    """A client for these settings; `client.deliverer` sends outbox announcements."""
    point_at(settings.discord_api_base_url, settings.discord_gateway_url)
    client = GuildhallClient.from_settings(app.runner, settings)
    app.ctx.provide(InviteMaker, client.invites)  # type: ignore[type-abstract]  # Protocol key
    return client


async def serve(client: GuildhallClient, settings: Settings) -> None:
    """Log in, sync commands (unless disabled), connect the shards and serve until stopped."""
    assert settings.discord_token is not None
    async with client:
        try:
            await client.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            log.error("Discord refused DISCORD_TOKEN: copy the bot token again from the portal")
            raise SystemExit(2) from None
