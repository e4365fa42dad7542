"""The discord.py client: intents, shards, events, and the command tree.

Intents are only what Guildhall uses: guilds (communities, channels, roles),
guild reactions (votes), DMs; members only when `DISCORD_MEMBERS_INTENT` is set
(a privileged intent that must also be enabled in the developer portal).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.adapter import PLATFORM, DiscordAdapter
from bot.discord.delivery import DiscordDeliverer
from bot.discord.dms import answer_direct_message
from bot.discord.invites import DiscordInvites
from bot.discord.members import on_member_removed
from bot.discord.menus import add_message_menus
from bot.discord.permissions import parse_roles
from bot.discord.tree import build_tree
from bot.settings import ConfigError, Settings
from cogs.kit import Runner
from domain.identity import IdentityRepository

log = logging.getLogger(__name__)


def intents(members: bool = False) -> discord.Intents:
    """Return the gateway intents we need: guilds, reactions, and members only when asked."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_reactions = True
    wanted.dm_messages = True
    wanted.members = members
    return wanted


def shard_ids(setting: str | None, shard_count: int | None) -> list[int] | None:
    """Parse "0,2" into [0, 2]: the shards this process runs (None: all of them).

    Raises:
        ConfigError: not a list of numbers, no shard count, or an id out of range.
    """
    if not setting:
        return None
    try:
        ids = sorted({int(part) for part in setting.split(",") if part.strip()})
    except ValueError:
        raise ConfigError(f"DISCORD_SHARD_IDS must be numbers like 0,1 (got {setting!r})") from None
    if shard_count is None:
        raise ConfigError(
            "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total across processes)"
        )
    if not ids or ids[0] < 0 or ids[-1] >= shard_count:
        raise ConfigError(f"DISCORD_SHARD_IDS must be between 0 and {shard_count - 1}")
    return ids


class GuildhallClient(discord.AutoShardedClient):
    """Serves every registered command, button, modal and reaction on Discord."""

    def __init__(
        self,
        runner: Runner,
        *,
        shard_count: int | None = None,
        shard_ids: list[int] | None = None,
        members_intent: bool = False,
        moderator_roles: frozenset[str] = frozenset(),
        sync_on_start: bool = True,
        sync_guild_id: int | None = None,
        fixed_gateway: bool = False,
        max_ratelimit_timeout: float | None = 30.0,
        **options: Any,
    ) -> None:
        super().__init__(
            intents=intents(members_intent),
            shard_count=shard_count,
            # discord.py takes None (no shards chosen) but annotates list[int].
            shard_ids=shard_ids,  # type: ignore[arg-type]  # see above
            max_ratelimit_timeout=max_ratelimit_timeout,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.runner = runner
        self.adapter = DiscordAdapter(runner, moderator_roles=moderator_roles)
        self.tree = build_tree(
            self, runner.registry, self.adapter.on_command, self.adapter.on_autocomplete
        )
        add_message_menus(self.tree, self.adapter)  # "Report message" (cogs/moderation)
        self.sync_on_start = sync_on_start
        self.sync_guild_id = sync_guild_id
        self._fixed_gateway = fixed_gateway
        self.deliverer = DiscordDeliverer(self, runner)  # for the outbox (bot.delivery)
        self.invites = DiscordInvites(self, runner)  # /invite and join attribution

    @classmethod
    def from_settings(cls, runner: Runner, settings: Settings) -> GuildhallClient:
        return cls(
            runner,
            shard_count=settings.discord_shard_count,
            shard_ids=shard_ids(settings.discord_shard_ids, settings.discord_shard_count),
            members_intent=settings.discord_members_intent,
            moderator_roles=parse_roles(settings.discord_moderator_roles),
            sync_on_start=settings.discord_sync_on_start,
            sync_guild_id=settings.discord_dev_guild_id,
            fixed_gateway=settings.discord_gateway_url is not None,
            max_ratelimit_timeout=settings.discord_max_ratelimit_wait,
        )

    async def setup_hook(self) -> None:
        if self._fixed_gateway and self.shard_count is None:
            # With a shard count discord.py connects to the configured gateway
            # rather than the one /gateway/bot names; ask only for the count.
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        if self.sync_on_start:
            try:
                await self.sync_commands(self.sync_guild_id)
            except discord.HTTPException:
                # The commands of the last successful sync keep working meanwhile.
                log.exception("could not sync Discord commands; serving the previous ones")

    async def sync_commands(self, guild_id: int | None = None) -> int:
        """Upload the command tree: to one guild (instant, for development) or globally."""
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("synced %d Discord commands (%s)", len(synced), guild_id or "global")
        return len(synced)

    async def close(self) -> None:
        """Let handlers that are running finish (and commit) before disconnecting."""
        await self.adapter.drain()
        await super().close()

    # -- events ----------------------------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Components and modals; slash commands and autocomplete go through the tree."""
        try:
            if interaction.type is discord.InteractionType.component:
                await self.adapter.on_component(interaction)
            elif interaction.type is discord.InteractionType.modal_submit:
                await self.adapter.on_modal(interaction)
        except discord.HTTPException:
            log.exception("could not answer interaction %s", interaction.id)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        await self._community(guild)
        await self.invites.snapshot(guild.id)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._community(guild)
        await self.invites.snapshot(guild.id)

    async def on_member_join(self, member: discord.Member) -> None:
        """A newcomer (needs DISCORD_MEMBERS_INTENT): credit the invite they came through."""
        if not member.bot:
            await self.invites.on_member_join(member.guild.id, member.id, member.display_name)

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        """A member left (needs DISCORD_MEMBERS_INTENT): apply [mydata] on_member_left."""
        await on_member_removed(self.runner, payload)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        # The community, its ledger and history stay: the bot may be re-invited.
        log.info("removed from guild %s; its community is kept", guild.id)

    async def _community(self, guild: discord.Guild) -> None:
        """A guild is a community; the first time the bot sees it, create it by name."""
        ctx = self.runner.ctx
        async with ctx.uow(read_only=True) as uow:
            known = await uow.get(IdentityRepository).community_for_workspace(
                PLATFORM, str(guild.id)
            )
        if known is not None:
            return  # most start-ups: no write per guild
        async with ctx.uow() as uow:
            await ctx.identity.community(uow, PLATFORM, str(guild.id), guild.name)
            await uow.commit()
        log.info("guild %s joined: community %r created", guild.id, guild.name)

    async def on_message(self, message: discord.Message) -> None:
        """A member's DM to the bot: the command a feature named for DMs answers it."""
        try:
            await answer_direct_message(self.runner, self, message)
        except discord.HTTPException:
            log.exception("could not answer direct message %s", message.id)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.on_reaction(payload, added=True, own_user_id=self._own_id())

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        # Removal events carry no member; the user cache may still know who it was.
        user = self.get_user(payload.user_id)
        if user is not None and user.bot:
            return
        await self.adapter.on_reaction(
            payload,
            added=False,
            own_user_id=self._own_id(),
            display_name=user.display_name if user is not None else "",
        )

    def _own_id(self) -> int | None:
        return self.user.id if self.user is not None else None
