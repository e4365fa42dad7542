"""Battles: /battle challenge|open|random|accept|decline|submit|vote|show|stats, /battles.

`setup()` only wires the service and registers; handlers live in `commands`,
cards in `cards`, scheduled work in `jobs`, derived state in `projections`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.battles import commands, jobs, projections
from cogs.battles import messages as _messages
from cogs.kit import Action, Cog, CogContext, Every, Job, Registry
from cogs.kit.messages import register
from domain.battles import BattleService, Results
from domain.core.ai import ChatModel

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    cfg = ctx.config.battles
    results = Results(ctx.clock, cfg, escrow=lambda: None)
    model = ctx.need(ChatModel)  # type: ignore[type-abstract]  # a Protocol is the key
    service = BattleService(ctx.clock, cfg, results, ai_available=lambda: model.configured)
    ctx.provide(BattleService, service)
    projections.subscribe(ctx)

    async def timers(now: datetime) -> None:
        await jobs.sweep_timers(ctx, now)

    async def judge(now: datetime) -> None:
        await jobs.judge_queue(ctx, now)

    registry.add(
        Cog(
            name="battles",
            commands=commands.declared(cfg),
            actions=[
                Action("battle.accept", commands.accept_button),
                Action("battle.decline", commands.decline_button),
                Action("battle.vote", commands.vote_button),
            ],
            jobs=[
                Job(
                    "battles.timers",
                    Every(timedelta(minutes=1)),
                    timers,
                    grace=None,
                    description="expire challenges, close entries and votes on time",
                ),
                Job(
                    "battles.judge",
                    Every(timedelta(minutes=1)),
                    judge,
                    grace=None,
                    description="let the AI judge decide revealed battles",
                ),
            ],
        )
    )
