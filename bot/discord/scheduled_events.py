"""Discord Guild Scheduled Events for Guildhall's events (`events.discord_native`).

Implements `domain.events.NativeCalendar` with discord.py. An occurrence's
entry is found by its marker line in the description, so a retry after a
crash (the timer fires again) edits the entry the first attempt created
instead of adding a second one. Discord's limits: a name of 100 characters,
a description of 1000, a location of 100; an external event needs a location
and an end time, and cannot be created in the past.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord

from domain.events.native import NativeEvent
from domain.identity import Platform

log = logging.getLogger(__name__)

NAME_MAX = 100
DESCRIPTION_MAX = 1000
LOCATION_MAX = 100
REASON = "Guildhall event"


def _description(event: NativeEvent) -> str:
    """The description cut to Discord's limit, always keeping the marker line at the end."""
    if len(event.description) <= DESCRIPTION_MAX:
        return event.description
    room = DESCRIPTION_MAX - len(event.marker) - 3
    return event.description[: max(room, 0)].rstrip() + "…\n\n" + event.marker


class DiscordScheduledEvents:
    """Keep a guild's scheduled events in step with Guildhall's events."""

    platform = str(Platform.DISCORD)

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def sync(self, workspace_id: str, event: NativeEvent, now: datetime) -> None:
        """Create, edit or cancel the guild's entry for this occurrence.

        A refusal that will not go away by itself (no Manage Events permission,
        an unknown guild) is logged for the moderators and not retried.

        Raises:
            discord.HTTPException: rate limits and Discord errors (retried by the timer).
        """
        guild = self.client.get_guild(int(workspace_id))
        if guild is None:
            log.warning("native event: the bot is not in guild %s", workspace_id)
            return
        try:
            await self._sync(guild, event, now)
        except (discord.Forbidden, discord.NotFound) as err:
            log.warning(
                "native event in guild %s not kept in step: %s (HTTP %s)",
                workspace_id,
                err.text or "refused",
                err.status,
                extra={"platform": "discord", "workspace": workspace_id},
            )

    async def _sync(self, guild: discord.Guild, event: NativeEvent, now: datetime) -> None:
        found = next(
            (
                e
                for e in await guild.fetch_scheduled_events(with_counts=False)
                if e.description and event.marker in e.description.splitlines()
            ),
            None,
        )
        if event.cancelled:
            if found is not None and found.status is discord.EventStatus.scheduled:
                await found.cancel(reason=REASON)
            elif found is not None and found.status is discord.EventStatus.active:
                await found.end(reason=REASON)
            return
        name = event.title[:NAME_MAX]
        description = _description(event)
        location = event.where[:LOCATION_MAX]
        if found is None:
            if event.starts_at > now:  # Discord refuses a start in the past
                await guild.create_scheduled_event(
                    name=name,
                    description=description,
                    location=location,
                    start_time=event.starts_at,
                    end_time=event.ends_at,
                    entity_type=discord.EntityType.external,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    reason=REASON,
                )
            return
        if found.status is not discord.EventStatus.scheduled:
            return  # started or over: Discord allows no more changes to its time
        same = (
            found.name == name
            and found.description == description
            and found.location == location
            and found.start_time == event.starts_at
            and found.end_time == event.ends_at
        )
        if not same:
            await found.edit(
                name=name,
                description=description,
                location=location,
                start_time=event.starts_at,
                end_time=event.ends_at,
                entity_type=discord.EntityType.external,
                reason=REASON,
            )
