"""Real Discord invites for `/invite`, and joins attributed to them by use counts.

Discord does not say which invite a newcomer used. The standard technique:
keep each guild's invite use counts, and when GUILD_MEMBER_ADD arrives fetch
them again; the one invite whose count went up is the one used. Several (two
joins at once) or none (a vanity URL) attribute nothing rather than guess.
The join is then run as the newcomer's own `/join <code>`, through the runner,
so the same rules apply as when a member types it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import discord

from cogs.kit import Actor, Invocation, Place, Runner
from domain.identity import Platform

log = logging.getLogger(__name__)


class DiscordInvites:
    """Implements `domain.referrals.InviteMaker` and attributes joins."""

    def __init__(self, client: discord.Client, runner: Runner) -> None:
        self._client = client
        self._runner = runner
        self._uses: dict[int, dict[str, int]] = {}
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def create(self, workspace_id: str, channel_id: str, reason: str) -> str | None:
        """A never-expiring, unique invite to `channel_id`; None if Discord refuses."""
        try:
            data = await self._client.http.create_invite(
                int(channel_id), reason=reason, max_age=0, max_uses=0, unique=True
            )
        except discord.HTTPException as err:
            log.warning("could not create an invite in channel %s: %s", channel_id, err.status)
            return None
        self._uses.setdefault(int(workspace_id), {})[data["code"]] = int(data.get("uses") or 0)
        return str(data["code"])

    async def _current(self, guild_id: int) -> dict[str, int] | None:
        try:
            invites = await self._client.http.invites_from(guild_id)
        except discord.HTTPException as err:  # needs Manage Server
            log.warning("cannot read the invites of guild %s: %s", guild_id, err.status)
            return None
        return {str(i["code"]): int(i.get("uses") or 0) for i in invites}

    async def snapshot(self, guild_id: int) -> None:
        """Remember the guild's invite use counts (on start-up and on joining it)."""
        current = await self._current(guild_id)
        if current is not None:
            self._uses[guild_id] = current

    async def on_member_join(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Find the invite whose use count went up and run `/join` for the newcomer."""
        async with self._locks[guild_id]:  # one comparison at a time per guild
            before = self._uses.get(guild_id, {})
            current = await self._current(guild_id)
            if current is None:
                return
            self._uses[guild_id] = current
        used = [code for code, uses in current.items() if uses > before.get(code, 0)]
        if len(used) != 1:
            log.info("join in guild %s not attributed (%d candidate invites)", guild_id, len(used))
            return
        await self._runner.dispatch(
            Invocation(
                actor=Actor(Platform.DISCORD, str(guild_id), str(user_id), display_name),
                key=f"member-add:{guild_id}:{user_id}",
                place=Place(is_dm=True),
                command="join",
                text=used[0],
            )
        )
