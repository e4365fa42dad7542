"""Discord's message context menu "Report message": the same report as a typed /report.

A member right-clicks a message → Apps → Report message. The menu runs the
registry's `/report` through the adapter, with the message's author as the
member and the message's words and link as the reason, so the rules (no
self-reports, rate limits, the moderators' card, the reporter kept secret)
are the ones the typed command has. Nothing happens here that the command
does not do.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord.adapter import DiscordAdapter
from bot.discord.render import render
from cogs.kit import Reply, Tone
from cogs.kit.messages import text
from cogs.moderation.reports import message_reason

REPORT_COMMAND = "report"


def add_message_menus(
    tree: app_commands.CommandTree[discord.Client], adapter: DiscordAdapter
) -> None:
    """Add "Report message" to the tree when the registry has /report (moderation loaded)."""
    command = adapter.runner.registry.command(REPORT_COMMAND)
    if command is None:
        return

    async def report_message(interaction: discord.Interaction, message: discord.Message) -> None:
        if message.author.bot:
            refusal = Reply(text=text("moderation.report_bot"), tone=Tone.WARNING, ephemeral=True)
            await interaction.response.send_message(ephemeral=True, **render(refusal).send_kwargs())
            return
        reason = message_reason(message.content, message.jump_url)
        await adapter.on_command(interaction, command, {"member": message.author, "reason": reason})

    menu = app_commands.ContextMenu(name=text("moderation.report_menu"), callback=report_message)
    app_commands.guild_only(menu)
    tree.add_command(menu)
