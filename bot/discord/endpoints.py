"""Point discord.py at Discord, or at a Discord-compatible server (or a test fake).

discord.py keeps its REST base and default gateway as class attributes, so the
override is process-wide; one Guildhall process talks to one Discord.
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


def point_at(api_base_url: str = DISCORD_API, gateway_url: str | None = None) -> None:
    """Send REST calls (interaction callbacks and webhooks too) to `api_base_url`.

    `gateway_url` replaces the default gateway; when it is None discord.py
    uses the URL that `GET /gateway/bot` returns, or Discord's own.
    """
    Route.BASE = api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DISCORD_GATEWAY)
