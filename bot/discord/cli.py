"""`guildhall discord sync [--guild ID]` and `guildhall discord invite-url`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import Settings
from domain.core.config import CommunityConfig


def add_commands(subparsers: Any) -> None:
    """Add `guildhall discord …` (application maintenance) to the command line."""
    discord_ = subparsers.add_parser("discord", help="Discord application maintenance")
    sub = discord_.add_subparsers(dest="discord_command", required=True)
    sync = sub.add_parser("sync", help="upload the slash commands (globally, or to one guild)")
    sync.add_argument(
        "--guild",
        type=snowflake,
        metavar="ID",
        help="sync to this guild only (instant; for development)",
    )
    sync.set_defaults(handler=_sync)
    invite = sub.add_parser("invite-url", help="print the URL that adds the bot to a server")
    invite.add_argument(
        "--application-id",
        metavar="ID",
        type=snowflake,
        help="skip asking Discord (no token needed)",
    )
    invite.set_defaults(handler=_invite_url)


def snowflake(value: str) -> str:
    """A Discord id: 17 to 20 digits (argparse prints the refusal and exits 2)."""
    value = value.strip()
    if not (value.isascii() and value.isdigit() and 17 <= len(value) <= 20):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Discord id (17 to 20 digits)")
    return value


def _need_token(settings: Settings) -> str | None:
    if settings.discord_token is None:
        print(
            "guildhall: set DISCORD_TOKEN (the bot token from the developer portal)",
            file=sys.stderr,
        )
        return None
    return settings.discord_token.get_secret_value()


def _sync(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    token = _need_token(settings)
    if token is None:
        return 2
    return asyncio.run(_sync_async(token, args.guild, settings, config))


async def _sync_async(
    token: str, guild_id: int | None, settings: Settings, config: CommunityConfig
) -> int:
    from bot.app import build_app
    from bot.discord.client import GuildhallClient
    from bot.discord.endpoints import point_at

    point_at(settings.discord_api_base_url, settings.discord_gateway_url)
    # The registry only: no migration, no connection (cogs set up without the database).
    app = await build_app(settings.database_url, config, upgrade=False, pool_size=1)
    try:
        client = GuildhallClient.from_settings(app.runner, settings)
        client.sync_on_start = False
        async with client:
            await client.login(token)
            count = await client.sync_commands(guild_id)
        where = f"guild {guild_id}" if guild_id else "all servers (may take up to an hour)"
        print(f"synced {count} commands to {where}")
        return 0
    finally:
        await app.close()


def _invite_url(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    from bot.discord.permissions import invite_url

    application_id = args.application_id
    if application_id is None:
        token = _need_token(settings)
        if token is None:
            return 2
        application_id = asyncio.run(_application_id(token, settings))
    print(invite_url(application_id))
    return 0


async def _application_id(token: str, settings: Settings) -> int:
    import discord

    from bot.discord.endpoints import point_at

    point_at(settings.discord_api_base_url, settings.discord_gateway_url)
    async with discord.Client(intents=discord.Intents.none()) as client:
        await client.login(token)
        info = await client.application_info()
        return info.id
