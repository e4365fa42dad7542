"""The Discord client as one service of `guildhall run` (composed by bot/app.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.discord.client import GuildhallClient
from bot.discord.endpoints import point_at
from bot.discord.scheduled_events import DiscordScheduledEvents
from bot.errors import ServiceFailed
from bot.settings import Settings
from bot.web import WebServer
from domain.events import NativeCalendar
from domain.referrals import InviteMaker

if TYPE_CHECKING:
    from bot.app import App, Service

log = logging.getLogger(__name__)


def build_client(app: App, settings: Settings) -> GuildhallClient:
    """A client for these settings; `client.deliverer` sends outbox announcements."""
    point_at(settings.discord_api_base_url, settings.discord_gateway_url)
    client = GuildhallClient.from_settings(app.runner, settings)
    app.ctx.provide(InviteMaker, client.invites)
    app.ctx.provide(NativeCalendar, DiscordScheduledEvents(client))  # events.discord_native
    return client


def service(app: App, settings: Settings, web: WebServer) -> Service | None:
    """The Discord service when `DISCORD_TOKEN` is set: the client and its deliverer."""
    from bot.app import Service

    if settings.discord_token is None:
        return None
    client = build_client(app, settings)

    async def run() -> None:
        await serve(client, settings)

    return Service("discord", client.deliverer, run, client.close)


async def serve(client: GuildhallClient, settings: Settings) -> None:
    """Log in, sync commands (unless disabled), connect the shards and serve until stopped."""
    assert settings.discord_token is not None
    async with client:
        try:
            await client.start(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            log.error("Discord refused the token (DISCORD_TOKEN): copy it again from the portal")
            raise ServiceFailed("DISCORD_TOKEN refused") from None
        except (aiohttp.ClientConnectionError, OSError, TimeoutError) as err:
            reason = str(err) or type(err).__name__
            log.error("cannot reach Discord at %s: %s", settings.discord_api_base_url, reason)
            raise ServiceFailed("Discord unreachable") from None
