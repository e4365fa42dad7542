"""Direct messages to the bot become the command a feature named (`Cog.dm_command`).

The adapter knows no feature: whatever command is named (the AI mentor's
`ask`) receives the message as its text. The typing indicator covers the wait,
and the answer is posted in the same DM.
"""

from __future__ import annotations

import logging

import discord

from bot.discord.adapter import PLATFORM
from bot.discord.render import render
from cogs.kit import Actor, Invocation, Place, Reply, Runner
from cogs.kit.messages import text as words

log = logging.getLogger(__name__)


async def answer_direct_message(
    runner: Runner, client: discord.Client, message: discord.Message
) -> None:
    """Run the DM command for `message` if it is a member's DM; ignore everything else."""
    command = runner.registry.dm_command
    author = message.author
    if command is None or message.guild is not None or author.bot:
        return
    if client.user is not None and author.id == client.user.id:
        return
    question = message.content.strip()
    if not question:
        return
    guilds = client.guilds
    reply: Reply | None
    if len(guilds) != 1:
        # A DM names no server; with several, we cannot tell which community is meant.
        reply = Reply(text=words("discord.use_in_server"))
    else:
        guild = guilds[0]
        inv = Invocation(
            actor=Actor(PLATFORM, str(guild.id), str(author.id), author.display_name),
            key=f"msg:{message.id}",
            place=Place(channel_id=str(message.channel.id), is_dm=True, message_id=str(message.id)),
            command=command,
            text=question,
            community_name=guild.name,
        )
        async with message.channel.typing():  # the model may think for a while
            reply = await runner.dispatch(inv)
    if reply is None:
        return
    # A DM is already private: send the answer as a normal message there.
    await message.channel.send(**render(reply.with_(ephemeral=False)).send_kwargs())
