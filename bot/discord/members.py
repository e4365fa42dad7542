"""GUILD_MEMBER_REMOVE: a member left (or was removed from) the server.

Discord sends it only with the members intent (DISCORD_MEMBERS_INTENT, a
privileged intent enabled in the developer portal). What happens to the
member's data is the community's choice, `[mydata] on_member_left`.
"""

from __future__ import annotations

import logging

import discord

from cogs.kit import Runner
from cogs.mydata.departures import member_left
from domain.identity import Platform

log = logging.getLogger(__name__)


async def on_member_removed(runner: Runner, payload: discord.RawMemberRemoveEvent) -> None:
    """Apply the community's choice to the departed member's account (bots are not members)."""
    if payload.user.bot:
        return
    await member_left(runner.ctx, Platform.DISCORD, str(payload.guild_id), str(payload.user.id))
