"""Deliver outbox announcements on Discord: channel posts, DMs, card edits, role grants.

discord.py already waits out short rate limits; one longer than the client's
`max_ratelimit_timeout` becomes `RetryLater`, as do server errors and
timeouts. Missing permissions (403) and deleted channels or messages (404)
become `CannotDeliver`, logged as a problem for the moderators.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import timedelta

import aiohttp
import discord

from bot.delivery import CannotDeliver, Delivery, RetryLater
from bot.discord.render import render
from cogs.kit import Runner
from domain.core.announcements import Target
from domain.identity import Platform

log = logging.getLogger(__name__)

ROLE_GRANT = "role_grant"
ROLE_REVOKE = "role_revoke"  # e.g. a premium plan ended (payments)
ROLE_FIELD = "role"  # a role_grant reply names its role in a field called "role"
READY_WAIT = 20.0  # seconds a delivery waits for the gateway connection


def nonce_for(d: Delivery, where: str) -> str:
    """The announcement's key for this place, as a Discord nonce (at most 25 characters)."""
    digest = hashlib.blake2b(
        f"{d.outbox_id}:{d.workspace_id}:{where}".encode(), digest_size=10
    ).hexdigest()
    return f"gh{digest}"  # 22 characters, stable across processes and restarts


class DiscordDeliverer:
    """`bot.delivery.Deliverer` for Discord, sending through a logged-in client."""

    platform = Platform.DISCORD

    def __init__(self, client: discord.Client, runner: Runner | None = None) -> None:
        self.client = client
        self.runner = runner

    async def deliver(self, delivery: Delivery) -> str | None:
        """Send it; "channel_id:message_id" for channel posts, None for DMs and edits.

        Raises:
            RetryLater: rate limited for longer than the client waits, or Discord is down.
            CannotDeliver: missing permission, unknown channel, user, message or role.
        """
        await self._connected()
        try:
            return await self._deliver(delivery)
        except discord.RateLimited as err:
            raise RetryLater("rate limited", timedelta(seconds=err.retry_after)) from err
        except discord.Forbidden as err:
            self._problem(delivery, "missing permission", err)
            raise CannotDeliver(f"forbidden: {err.text or err.status}") from err
        except discord.NotFound as err:
            self._problem(delivery, "not found (deleted channel, message or user?)", err)
            raise CannotDeliver(f"not found: {err.text or err.status}") from err
        except discord.HTTPException as err:
            if err.status == 429:
                raise RetryLater("rate limited", timedelta(seconds=_retry_after(err))) from err
            if err.status >= 500:
                raise RetryLater(f"Discord error {err.status}") from err
            self._problem(delivery, f"refused ({err.status})", err)
            raise CannotDeliver(f"Discord refused: {err.status} {err.text}") from err
        except (TimeoutError, aiohttp.ClientError) as err:
            raise RetryLater(f"Discord unreachable: {type(err).__name__}") from err

    async def _connected(self) -> None:
        """Channel names and roles come from the gateway's guild cache: wait for it."""
        if self.client.is_ready():
            return
        try:
            await asyncio.wait_for(self.client.wait_until_ready(), READY_WAIT)
        except (TimeoutError, RuntimeError) as err:  # RuntimeError: not started yet
            raise RetryLater("Discord is not connected yet", timedelta(seconds=30)) from err

    async def _deliver(self, d: Delivery) -> str | None:
        if d.kind in (ROLE_GRANT, ROLE_REVOKE):
            await self._grant_role(d, revoke=d.kind == ROLE_REVOKE)
            if not (d.reply.text or d.reply.title):
                return None
        if d.target is Target.EDIT:
            for channel_id, message_id in d.message_ids:
                channel = self.client.get_partial_messageable(int(channel_id))
                message = channel.get_partial_message(int(message_id))
                await message.edit(**render(d.reply).edit_kwargs())
            return None
        if d.target is Target.DM:
            if d.user_id is None:
                raise CannotDeliver("DM without a user id")
            user = self.client.get_user(int(d.user_id)) or await self.client.fetch_user(
                int(d.user_id)
            )
            await user.send(**render(d.reply).send_kwargs(), nonce=nonce_for(d, "dm"))
            return None
        channel_id = d.channel_id or await self._channel_by_name(d)
        channel = self.client.get_partial_messageable(int(channel_id))
        # Discord drops a second message with the same nonce (enforce_nonce, which
        # discord.py sends): a retry after a crash between sending and recording
        # returns the first message instead of posting twice.
        message = await channel.send(
            **render(d.reply).send_kwargs(), nonce=nonce_for(d, channel_id)
        )
        if d.reply.anchor and self.runner is not None:
            # A posted card (a proposal) counts reactions from now on; recording
            # it twice is harmless if the outbox also records the returned id.
            await self.runner.remember_post(
                self.platform, d.workspace_id, str(channel_id), str(message.id), d.reply.anchor
            )
        return f"{channel_id}:{message.id}"

    async def _channel_by_name(self, d: Delivery) -> str:
        """Find the configured channel name ("proposals") among the guild's text channels."""
        if not d.channel_name:
            raise CannotDeliver("no channel configured for this announcement")
        wanted = d.channel_name.lstrip("#").lower()
        guild = self.client.get_guild(int(d.workspace_id))
        channels = list(guild.channels) if guild is not None else []
        if not channels:
            channels = list(await self._guild(d).fetch_channels())
        for channel in channels:
            if isinstance(channel, discord.TextChannel) and channel.name.lower() == wanted:
                return str(channel.id)
        log.warning(
            "no #%s channel in guild %s: announcement %s not delivered",
            wanted,
            d.workspace_id,
            d.outbox_id,
            extra={"platform": "discord", "workspace": d.workspace_id},
        )
        raise CannotDeliver(f"no channel named #{wanted}")

    def _guild(self, d: Delivery) -> discord.Guild:
        guild = self.client.get_guild(int(d.workspace_id))
        if guild is None:
            raise CannotDeliver(f"the bot is not in guild {d.workspace_id}")
        return guild

    async def _grant_role(self, d: Delivery, *, revoke: bool = False) -> None:
        name = next((f.value for f in d.reply.fields if f.name.lower() == ROLE_FIELD), None)
        if not name or d.user_id is None:
            raise CannotDeliver(f"{d.kind} needs a user and a field named 'role'")
        guild = self._guild(d)
        roles = guild.roles or await guild.fetch_roles()
        role = next((r for r in roles if r.name.lower() == name.lower() or str(r.id) == name), None)
        if role is None:
            raise CannotDeliver(f"no role named {name!r}")
        change = self.client.http.remove_role if revoke else self.client.http.add_role
        await change(guild.id, int(d.user_id), role.id, reason=f"Guildhall: {d.kind} {d.outbox_id}")

    def _problem(self, d: Delivery, what: str, err: discord.HTTPException) -> None:
        log.warning(
            "announcement %s (%s) to Discord guild %s: %s (HTTP %s, code %s)",
            d.outbox_id,
            d.kind,
            d.workspace_id,
            what,
            err.status,
            err.code,
            extra={"platform": "discord", "workspace": d.workspace_id},
        )


def _retry_after(err: discord.HTTPException) -> float:
    try:
        return float(err.response.headers.get("Retry-After", 5))
    except (TypeError, ValueError, AttributeError):
        return 5.0
