"""/ask and DMs to the bot: the AI mentor; /admin ai usage for moderators."""

from __future__ import annotations

from cogs.kit import Cog, CogContext, Command, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.mentor_ai import commands as c
from cogs.mentor_ai import messages as _messages
from domain.core.ai import ChatModel
from domain.core.contracts import (
    EventReader,
    MentorDirectory,
    PerksReader,
    ProposalReader,
    QuestReader,
    TierReader,
)
from domain.core.prompts import PromptBook
from domain.mentor_ai import MentorAiService, Readers

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the AI mentor service; register /ask (also the DM command) and /admin ai usage."""
    readers = Readers(
        points=ctx.points,
        tiers=ctx.maybe(TierReader),
        quests=ctx.maybe(QuestReader),
        proposals=ctx.maybe(ProposalReader),
        mentors=ctx.maybe(MentorDirectory),
        events=lambda: ctx.maybe(EventReader),
    )
    service = MentorAiService(
        ctx.need(ChatModel),
        ctx.need(PromptBook),
        ctx.config.mentor_ai,
        ctx.config.ai,
        readers,
        perks=lambda: ctx.maybe(PerksReader),
    )
    ctx.provide(MentorAiService, service)
    question = opt.string(
        "question", "Your question, or 'reset' to forget", rest=True, required=False
    )
    registry.add(
        Cog(
            "mentor_ai",
            commands=[
                typed.command(
                    "ask",
                    "Ask the AI mentor (only you see the answer)",
                    c.ask,
                    options=(question,),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    slow=True,
                    examples=("/ask how do I keep my streak?", "/ask reset"),
                ),
                Command(
                    "admin ai usage",
                    "AI spend by day and top users",
                    c.usage,
                    permission=Permission.MODERATOR,
                    writes=False,
                ),
            ],
            dm_command="ask",
        )
    )
