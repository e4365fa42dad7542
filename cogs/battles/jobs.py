"""Scheduled work: the battle timers, the AI judge's queue, the weekly prompt.

Timers are durable rows (`domain.core.timers`): the sweep fires each due one
in its own unit of work, so an expiry, a deadline or a vote's close happens
exactly once across restarts and processes. The AI judge's job lives in
`judge` (it claims each attempt before asking the model).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.battles.announce import announce_outcome
from cogs.battles.judge import judge_queue
from cogs.kit import CogContext, Cron, Every, Job, Reply
from cogs.kit.messages import text
from domain.battles import BattleId
from domain.battles.repository import battles
from domain.battles.service import ACCEPT_TIMER, DEADLINE_TIMER, VOTE_TIMER, BattleService
from domain.core.announcements import Announcement
from domain.core.timers import Timer, sweep
from domain.core.uow import UnitOfWork


def _id(timer: Timer) -> BattleId:
    return BattleId(int(timer.key.rpartition(":")[2]))


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


async def weekly_post(ctx: CogContext, now: datetime) -> int:
    """Post a "battle of the week" prompt from the pool to every community, once a week."""
    cfg = ctx.config.battles
    if not cfg.prompts:
        return 0
    service = ctx.need(BattleService)
    async with ctx.uow(read_only=True) as uow:
        communities = await battles(uow).communities()
    week = now.strftime("%G-W%V")
    for community_id in communities:
        pick = service.pick_prompt(cfg.prompts)
        reply = Reply(
            title=text("battles.weekly_title"),
            text=text(
                "battles.weekly_text",
                prompt=pick.text,
                topic=pick.topic,
                difficulty=pick.difficulty,
            ),
        )
        async with ctx.uow() as uow:
            uow.announce(
                Announcement(
                    community_id=community_id,
                    kind="battle.weekly",
                    dedupe_key=f"battle:weekly:{community_id}:{week}",
                    payload=reply.to_dict(),
                    channel_kind="battles",
                )
            )
            await uow.commit()
    return len(communities)


def declared(ctx: CogContext) -> list[Job]:
    """The battle jobs: timers and the judge every minute; the weekly post if configured."""
    cfg = ctx.config.battles

    async def timers(now: datetime) -> None:
        await sweep_timers(ctx, now)

    async def judge(now: datetime) -> None:
        await judge_queue(ctx, now)

    async def weekly(now: datetime) -> None:
        await weekly_post(ctx, now)

    scheduled = [
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
    ]
    if cfg.weekly_post:
        hour, minute = (int(part) for part in cfg.weekly_post_time.split(":"))
        scheduled.append(
            Job(
                "battles.weekly",
                Cron(minute=str(minute), hour=str(hour), day_of_week="mon"),
                weekly,
                description="post the battle of the week",
            )
        )
    return scheduled
