"""Battles: /battle challenge|open|random|accept|decline|submit|vote|show|stats, /battles.

`setup()` only wires the service and registers; handlers live in `commands`,
cards in `cards`, scheduled work in `jobs`. The battle board is the leaderboards'
(`BattleFinished` is scored by `domain.leaderboards.projection`).
"""

from __future__ import annotations

from cogs.battles import commands, jobs
from cogs.battles import messages as _messages
from cogs.battles.declared import declared
from cogs.kit import Action, Cog, CogContext, Page, Registry
from cogs.kit.messages import register
from domain.battles.results import Results
from domain.battles.service import BattleService
from domain.battles.stakes import LedgerStakes
from domain.core.ai import ChatModel
from domain.core.contracts import PerksReader
from domain.points.escrow import EscrowService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Wire the battle service (stakes held in escrow, AI judging when a model is configured).

    Registers the commands, the Accept/Decline/vote buttons and the battle jobs.
    """
    cfg = ctx.config.battles
    # Tools that only list commands (the Slack manifest) wire no AI: judging is then off.
    model = ctx.maybe(ChatModel)
    stakes = LedgerStakes(EscrowService(ctx.clock))
    results = Results(ctx.clock, cfg, escrow=lambda: stakes)
    service = BattleService(
        ctx.clock,
        cfg,
        results,
        escrow=lambda: stakes,
        ai_available=lambda: model is not None and model.configured,
        perks=lambda: ctx.maybe(PerksReader),
    )
    ctx.provide(BattleService, service)
    registry.add(
        Cog(
            name="battles",
            commands=declared(cfg),
            actions=[
                Action("battle.accept", commands.accept_button),
                Action("battle.decline", commands.decline_button),
                Action("battle.vote", commands.vote_button),
            ],
            jobs=jobs.declared(ctx),
            pages=[
                Page(
                    "battles",
                    "Battles",
                    shows=("battles open", "battles past", "leaderboard battle all"),
                    forms=("admin battle cancel",),
                    order=62,
                )
            ],
        )
    )
