"""Scheduled work: the battle timers, the AI judge's queue, the weekly prompt.

Timers are durable rows (`domain.core.timers`): the sweep fires each due one
in its own unit of work, so an expiry, a deadline or a vote's close happens
exactly once across restarts and processes. The AI judge is called outside
any transaction (it may take seconds) and its verdict is applied with a
conditional status change, so a verdict that arrives twice counts once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from cogs.battles import cards
from cogs.battles.commands import names_of, post
from cogs.kit import CogContext, Reply
from cogs.kit.messages import text
from domain.battles import Battle, BattleId, BattleRepository, BattleService, Status
from domain.battles.service import ACCEPT_TIMER, DEADLINE_TIMER, VOTE_TIMER
from domain.core.timers import Timer, sweep
from domain.core.uow import UnitOfWork

log = logging.getLogger(__name__)
JUDGE_BATCH = 20


def _id(timer: Timer) -> BattleId:
    return BattleId(int(timer.key.rpartition(":")[2]))


async def announce_outcome(ctx: CogContext, uow: UnitOfWork, battle: Battle) -> None:
    """Queue what the community should see after a timer or the judge moved a battle."""
    cfg = ctx.config.battles
    repo = uow.get(BattleRepository)
    names = await names_of(uow, battle)
    if battle.status in (Status.VOTING, Status.JUDGING):
        entries = await repo.entries(battle.id)
        post(uow, battle, f"reveal:{battle.status}", cards.reveal(battle, entries))
    elif battle.status in (Status.EXPIRED, Status.DECLINED):
        post(uow, battle, "result", cards.fell_through(battle))
    else:
        tally = await repo.tally(battle.id) if battle.status is Status.FINISHED else None
        if battle.method is not None and battle.method.value not in ("vote", "no_quorum"):
            tally = None
        post(uow, battle, "result", cards.result(battle, names, cfg, tally))


async def sweep_timers(ctx: CogContext, now: datetime) -> int:
    """Fire every due battle timer; how many fired."""
    service = ctx.need(BattleService)

    async def on_expiry(uow: UnitOfWork, timer: Timer) -> None:
        battle = await service.expire(uow, _id(timer))
        if battle is not None:
            await announce_outcome(ctx, uow, battle)

    async def on_deadline(uow: UnitOfWork, timer: Timer) -> None:
        battle = await service.deadline(uow, _id(timer))
        if battle is not None:
            await announce_outcome(ctx, uow, battle)

    async def on_vote_close(uow: UnitOfWork, timer: Timer) -> None:
        battle = await service.close_vote(uow, _id(timer))
        if battle is not None:
            await announce_outcome(ctx, uow, battle)

    fired = 0
    for kind, handler in (
        (ACCEPT_TIMER, on_expiry),
        (DEADLINE_TIMER, on_deadline),
        (VOTE_TIMER, on_vote_close),
    ):
        fired += await sweep(ctx.uow, kind, now, handler)
    return fired


async def fall_back_to_vote(ctx: CogContext, battle: Battle, now: datetime) -> None:
    """The judge could not decide (or is not configured): the community votes, announced."""
    service = ctx.need(BattleService)
    async with ctx.uow() as uow:
        if not await service.open_vote(uow, battle, now):
            return  # decided meanwhile
        fresh = await uow.get(BattleRepository).get(battle.community_id, battle.id)
        assert fresh is not None
        post(uow, fresh, "fallback", Reply(text=text("battles.fallback", id=battle.id)))
        await announce_outcome(ctx, uow, fresh)
        await uow.commit()


async def judge_queue(ctx: CogContext, now: datetime) -> int:
    """Decide every battle waiting for the AI judge; without a judge, put them to a vote."""
    async with ctx.uow(read_only=True) as uow:
        waiting = await uow.get(BattleRepository).in_status(Status.JUDGING, JUDGE_BATCH)
    for battle in waiting:
        try:
            await fall_back_to_vote(ctx, battle, now)
        except Exception:
            log.exception("could not judge battle %s; it will be retried", battle.id)
    return len(waiting)
