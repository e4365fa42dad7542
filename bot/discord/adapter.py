"""Turn Discord interactions and reactions into invocations, and replies into messages.

Discord wants every interaction acknowledged within 3 seconds. A command
declared `slow` is deferred at once (with its visibility) and followed up;
any other command runs against a budget and is deferred if the budget runs
out first (a write waiting on a lock, a slow query), then followed up.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any, cast

import discord
from discord import app_commands

from bot.discord import forms
from bot.discord import messages as _messages  # noqa: F401  (registers the words)
from bot.discord.permissions import is_moderator
from bot.discord.render import render
from cogs.kit import (
    Actor,
    Call,
    Command,
    Invocation,
    MemberRef,
    Option,
    OptionType,
    Place,
    Reply,
    Runner,
    Visibility,
    messages,
)
from domain.identity import IdentityRepository, Platform

log = logging.getLogger(__name__)

PLATFORM = Platform.DISCORD
ACK_BUDGET = 2.0  # seconds of work before deferring; Discord's deadline is 3 s
DRAIN_TIMEOUT = 10.0  # seconds a shutdown waits for handlers that are running
_MENTION = re.compile(r"<@!?(\d+)>")


def discord_member_parser(word: str) -> MemberRef | None:
    """`<@123>` and `<@!123>` are vouched by Discord; `@ana` must name a known member."""
    if m := _MENTION.fullmatch(word):
        return MemberRef(m.group(1), m.group(1), vouched=True)
    if word.startswith("@") and len(word) > 1:
        return MemberRef(word[1:], word[1:], vouched=False)
    return None


class DiscordAdapter:
    """Everything between discord.py objects and the runner."""

    def __init__(
        self,
        runner: Runner,
        *,
        moderator_roles: frozenset[str] = frozenset(),
        ack_budget: float = ACK_BUDGET,
    ) -> None:
        self.runner = runner
        runner.member_parsers[PLATFORM] = discord_member_parser
        self.moderator_roles = moderator_roles
        self.ack_budget = ack_budget
        self._forms = forms.FormMemory()
        self._inflight: set[asyncio.Task[Any]] = set()

    # -- graceful shutdown ------------------------------------------------------------

    def _track(self) -> None:
        """Count the running handler so a shutdown lets it finish its transaction."""
        task = asyncio.current_task()
        if task is not None and task not in self._inflight:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    async def drain(self) -> None:
        """Wait (up to DRAIN_TIMEOUT s) for commands, clicks and reactions being handled."""
        pending = self._inflight - {asyncio.current_task()}
        if pending:
            await asyncio.wait(pending, timeout=DRAIN_TIMEOUT)

    # -- who and where ------------------------------------------------------------

    def actor_for(self, interaction: discord.Interaction, workspace_id: str) -> Actor:
        """The acting member; `roles` are role names (ids for roles not in the cache)."""
        user = interaction.user
        # Role ids straight from the interaction payload: `Member.roles` drops ids the
        # guild cache does not know yet, and moderation must not depend on the cache.
        role_ids = [int(r) for r in getattr(user, "_roles", [])]
        names = {r.id: r.name for r in getattr(user, "roles", [])}
        return Actor(
            platform=PLATFORM,
            workspace_id=workspace_id,
            user_id=str(user.id),
            display_name=user.display_name,
            is_moderator=is_moderator(
                interaction.permissions if interaction.guild_id else None,
                role_ids,
                [names[r] for r in role_ids if r in names],
                self.moderator_roles,
            ),
            roles=tuple(names.get(r, str(r)) for r in role_ids),
            is_bot=user.bot,
        )

    def workspace_of(self, interaction: discord.Interaction) -> tuple[str, str | None] | None:
        """The guild an interaction belongs to; in a DM, the bot's only guild if it has one."""
        if interaction.guild_id is not None:
            guild = interaction.guild
            return str(interaction.guild_id), guild.name if guild is not None else None
        guilds = interaction.client.guilds
        if len(guilds) == 1:
            return str(guilds[0].id), guilds[0].name
        return None

    def _place(self, interaction: discord.Interaction) -> Place:
        in_thread = isinstance(interaction.channel, discord.Thread)
        return Place(
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
            thread_id=str(interaction.channel_id) if in_thread else None,
            is_dm=interaction.guild_id is None,
            message_id=str(interaction.message.id) if interaction.message else None,
        )

    # -- slash commands -----------------------------------------------------------------

    async def on_command(
        self, interaction: discord.Interaction, command: Command, values: dict[str, Any]
    ) -> None:
        """A slash command: ask for missing `long` text in a modal, else run it."""
        self._track()
        if forms.missing_long(command, values):
            form = forms.build(command, values, self._forms, key=str(interaction.id))
            await interaction.response.send_modal(form)
            return
        await self._run_command(interaction, command, values)

    async def _run_command(
        self, interaction: discord.Interaction, command: Command, values: dict[str, Any]
    ) -> None:
        where = self.workspace_of(interaction)
        if where is None:
            await self._answer_unplaced(interaction)
            return
        workspace_id, community_name = where
        inv = Invocation(
            actor=self.actor_for(interaction, workspace_id),
            key=str(interaction.id),
            place=self._place(interaction),
            command=command.name,
            options={name: _option_value(v) for name, v in values.items()},
            community_name=community_name,
        )
        await self._answer(
            interaction,
            inv,
            ephemeral=command.visibility is Visibility.EPHEMERAL,
            slow=command.slow,
        )

    # -- modals --------------------------------------------------------------------------

    async def on_modal(self, interaction: discord.Interaction) -> None:
        """A submitted form: run its command with the typed text (or say it expired)."""
        self._track()
        data = cast(dict[str, Any], interaction.data or {})  # a TypedDict union: read as JSON
        found = forms.read(data, self.runner.registry, self._forms)
        if found is None:
            # An unknown form (kept in memory before a restart): the runner says "expired".
            await self.on_component(interaction)
            return
        command, values = found
        values = self._members_from_cache(interaction, command, values)
        await self._run_command(interaction, command, values)

    def _members_from_cache(
        self, interaction: discord.Interaction, command: Command, values: dict[str, Any]
    ) -> dict[str, Any]:
        """Members carried as mentions through a form, with their names when cached."""
        guild = interaction.guild
        out = dict(values)
        for option in command.options:
            value = values.get(option.name)
            if option.type is not OptionType.MEMBER or not isinstance(value, str):
                continue
            m = _MENTION.fullmatch(value)
            member = guild.get_member(int(m.group(1))) if m and guild is not None else None
            if member is not None:
                out[option.name] = member
        return out

    # -- buttons and selects -----------------------------------------------------------------

    async def on_component(self, interaction: discord.Interaction) -> None:
        """A button or select: its custom_id is the action id the reply declared."""
        self._track()
        data = cast(dict[str, Any], interaction.data or {})  # a TypedDict union: read as JSON
        action_id = str(data.get("custom_id", ""))
        where = self.workspace_of(interaction)
        if where is None:
            await self._answer_unplaced(interaction)
            return
        workspace_id, community_name = where
        form = forms.for_button(action_id, self.runner.registry, self._forms, str(interaction.id))
        if form is not None:  # "Add a comment": the command's form, as its slash command would
            await interaction.response.send_modal(form)
            return
        action, _ = self.runner.registry.action(action_id)
        ephemeral = action is None or action.visibility is Visibility.EPHEMERAL
        inv = Invocation(
            actor=self.actor_for(interaction, workspace_id),
            key=str(interaction.id),
            place=self._place(interaction),
            action_id=action_id,
            values=tuple(str(v) for v in data.get("values", ())),
            community_name=community_name,
        )
        await self._answer(interaction, inv, ephemeral=ephemeral, slow=False)

    # -- autocomplete ------------------------------------------------------------------------

    async def on_autocomplete(
        self, interaction: discord.Interaction, option: Option, current: str
    ) -> list[app_commands.Choice[Any]]:
        """Suggestions from the cog's provider, called with a read-only `Call`."""
        provider = self.runner.registry.autocomplete(option.autocomplete or "")
        where = self.workspace_of(interaction)
        if provider is None or where is None:
            return []
        workspace_id, community_name = where
        ctx = self.runner.ctx
        actor = self.actor_for(interaction, workspace_id)
        inv = Invocation(
            actor=actor,
            key=str(interaction.id),
            place=self._place(interaction),
            community_name=community_name,
        )
        try:
            async with ctx.uow(read_only=True) as uow:
                repo = uow.get(IdentityRepository)
                member = await repo.member_for_account(PLATFORM, workspace_id, actor.user_id)
            if member is None:  # a newcomer's first keystrokes: enrol them once
                async with ctx.uow() as uow:
                    await ctx.identity.resolve(
                        uow,
                        PLATFORM,
                        workspace_id,
                        actor.user_id,
                        actor.display_name,
                        community_name,
                    )
                    await uow.commit()
            async with ctx.uow(read_only=True) as uow:
                repo = uow.get(IdentityRepository)
                member = await repo.member_for_account(PLATFORM, workspace_id, actor.user_id)
                community = await repo.get_community(member.community_id) if member else None
                if member is None or community is None:
                    return []
                call = Call(inv, ctx, uow, community, member, {}, ctx.clock.now())
                suggestions = await provider(call, current)
        except Exception:
            # Suggestions are a convenience: a failure shows none, the command still works.
            log.exception("autocomplete %s failed", option.autocomplete)
            return []
        choices: list[app_commands.Choice[Any]] = []
        for label, value in suggestions[:25]:
            if option.type is OptionType.INTEGER:
                if not (value.isascii() and value.lstrip("-").isdigit()):
                    continue
                choices.append(app_commands.Choice(name=label[:100], value=int(value)))
            else:
                choices.append(app_commands.Choice(name=label[:100], value=value[:100]))
        return choices

    # -- reactions --------------------------------------------------------------------------

    async def on_reaction(
        self,
        payload: discord.RawReactionActionEvent,
        *,
        added: bool,
        own_user_id: int | None,
        display_name: str = "",
    ) -> None:
        """A reaction on a message: the runner counts it if the message is an anchored card."""
        self._track()
        if payload.guild_id is None or payload.user_id == own_user_id:
            return
        member = payload.member
        if member is not None and member.bot:
            return
        inv = Invocation(
            actor=Actor(
                platform=PLATFORM,
                workspace_id=str(payload.guild_id),
                user_id=str(payload.user_id),
                # "" keeps a known member's name (removals carry no member data).
                display_name=member.display_name if member is not None else display_name,
                is_bot=False,
            ),
            # Reactions carry no event id; each one is its own fact.
            key=f"reaction:{payload.message_id}:{payload.user_id}:{time.time_ns()}",
            place=Place(channel_id=str(payload.channel_id), message_id=str(payload.message_id)),
            reaction=str(payload.emoji),
            reaction_added=added,
        )
        reply = await self.runner.dispatch(inv)
        if reply is not None:
            log.debug("reaction on %s answered (not shown on Discord)", payload.message_id)

    # -- answering -----------------------------------------------------------------------------

    async def _answer(
        self, interaction: discord.Interaction, inv: Invocation, *, ephemeral: bool, slow: bool
    ) -> None:
        """Respond within Discord's 3 s: directly when fast, else defer and follow up."""
        if slow:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            reply = await self.runner.dispatch(inv)
            await self._follow_up(interaction, reply, deferred_ephemeral=ephemeral)
            return
        task = asyncio.ensure_future(self.runner.dispatch(inv))
        done, _ = await asyncio.wait({task}, timeout=self.ack_budget)
        if not done:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            await self._follow_up(interaction, await task, deferred_ephemeral=ephemeral)
            return
        reply = task.result()
        if reply is None:
            return
        rendered = render(reply)
        response = await interaction.response.send_message(
            ephemeral=bool(reply.ephemeral), **rendered.send_kwargs()
        )
        message_id = getattr(response, "message_id", None)
        if message_id is None and reply.anchor and not reply.ephemeral:
            message_id = (await interaction.original_response()).id
        await self._remember(interaction, reply, message_id)

    async def _follow_up(
        self, interaction: discord.Interaction, reply: Reply | None, *, deferred_ephemeral: bool
    ) -> None:
        if reply is None:
            await interaction.delete_original_response()
            return
        if bool(reply.ephemeral) != deferred_ephemeral:
            # The first follow-up replaces the "thinking…" message and keeps its
            # visibility; an error to a public command must not be public.
            await interaction.delete_original_response()
        rendered = render(reply)
        message = await interaction.followup.send(
            ephemeral=bool(reply.ephemeral), wait=True, **rendered.send_kwargs()
        )
        await self._remember(interaction, reply, message.id)

    async def _remember(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        message_id: int | None,
    ) -> None:
        if not reply.anchor or reply.ephemeral or message_id is None:
            return
        if interaction.guild_id is None or interaction.channel_id is None:
            return
        await self.runner.remember_post(
            PLATFORM,
            str(interaction.guild_id),
            str(interaction.channel_id),
            str(message_id),
            reply.anchor,
        )

    async def _answer_unplaced(self, interaction: discord.Interaction) -> None:
        reply = Reply(text=messages.text("discord.use_in_server"), ephemeral=True)
        await interaction.response.send_message(ephemeral=True, **render(reply).send_kwargs())


def _option_value(value: Any) -> Any:
    """discord.py's resolved values in the runner's terms (members as vouched refs)."""
    if isinstance(value, discord.abc.User):
        return MemberRef(str(value.id), value.display_name, vouched=True)
    if isinstance(value, discord.Object):  # a user Discord did not resolve
        return MemberRef(str(value.id), str(value.id), vouched=True)
    return value
