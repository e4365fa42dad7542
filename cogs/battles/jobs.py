"""Scheduled work: the battle timers, the AI judge's queue, the weekly prompt.

Timers are durable rows (`domain.core.timers`): the sweep fires each due one
in its own unit of work, so an expiry, a deadline or a vote's close happens
exactly once across restarts and processes. The AI judge is called outside
any transaction (it may take seconds) and its verdict is applied with a
conditional status change, so a verdict that arrives twice counts once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cogs.battles import cards
from cogs.battles.commands import names_of, post
from cogs.kit import CogContext, Cron, Every, Job, Reply
from cogs.kit.messages import text
from domain.battles import Battle, BattleId, Side, Status, judging
from domain.battles.repository import battles
from domain.battles.service import ACCEPT_TIMER, DEADLINE_TIMER, VOTE_TIMER, BattleService
from domain.core.ai import AiBadAnswer, AiTemporarilyDown, AiUnavailable, ChatModel
from domain.core.ai_spend import AiCallRepository, SpendCapReached, check_spend, record_call
from domain.core.announcements import Announcement
from domain.core.prompts import PromptBook
from domain.core.timers import Timer, sweep
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository

log = logging.getLogger(__name__)
JUDGE_BATCH = 20


def _identity(uow: UnitOfWork) -> IdentityRepository:
    return uow.get(IdentityRepository)


def _spend(uow: UnitOfWork) -> AiCallRepository:
    return uow.get(AiCallRepository)


def _id(timer: Timer) -> BattleId:
    return BattleId(int(timer.key.rpartition(":")[2]))


async def announce_outcome(ctx: CogContext, uow: UnitOfWork, battle: Battle) -> None:
    """Queue what the community should see after a timer or the judge moved a battle."""
    cfg = ctx.config.battles
    repo = battles(uow)
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
        fresh = await battles(uow).get(battle.community_id, battle.id)
        assert fresh is not None
        post(uow, fresh, "fallback", Reply(text=text("battles.fallback", id=battle.id)))
        await announce_outcome(ctx, uow, fresh)
        await uow.commit()


async def judge_queue(ctx: CogContext, now: datetime) -> int:
    """Decide every battle waiting for the AI judge; on failure, put it to a vote."""
    async with ctx.uow(read_only=True) as uow:
        waiting = await battles(uow).in_status(Status.JUDGING, JUDGE_BATCH)
    for battle in waiting:
        try:
            if not await _judge_one(ctx, battle, now):
                await fall_back_to_vote(ctx, battle, now)
        except Exception:
            log.exception("could not judge battle %s; it will be retried", battle.id)
    return len(waiting)


async def _judge_one(ctx: CogContext, battle: Battle, now: datetime) -> bool:
    """Ask the AI judge (retrying), then apply its verdict; False if it could not decide.

    The model is called outside any transaction; the spend is checked before
    and recorded with the result, in the transaction that finishes the battle.
    """
    model = ctx.maybe(ChatModel)
    if model is None or not model.configured:
        return False
    prompt = ctx.need(PromptBook).get(judging.PURPOSE)
    async with ctx.uow(read_only=True) as uow:
        community = await _identity(uow).get_community(battle.community_id)
        entries = {e.member_id: e.text for e in await battles(uow).entries(battle.id)}
        assert community is not None
        try:
            await check_spend(
                _spend(uow),
                ctx.config.ai,
                community_id=battle.community_id,
                member_id=None,
                purpose=judging.PURPOSE,
                member_daily_tokens=0,
                now=now,
                tz=ZoneInfo(community.timezone),
            )
        except SpendCapReached:
            return False
    judged: judging.Judged | None = None
    for attempt in range(ctx.config.battles.judge_attempts):
        try:
            judged = await judging.judge(
                model,
                prompt,
                community=community.name,
                battle_prompt=battle.prompt,
                entry_a=entries[battle.member_of(Side.A)],
                entry_b=entries[battle.member_of(Side.B)],
            )
            break
        except AiUnavailable:
            return False
        except (AiTemporarilyDown, AiBadAnswer) as err:
            log.warning("battle %s: judge attempt %s failed: %s", battle.id, attempt + 1, err)
    if judged is None:
        return False
    service = ctx.need(BattleService)
    async with ctx.uow() as uow:
        await record_call(
            _spend(uow),
            ctx.config.ai,
            community_id=battle.community_id,
            member_id=None,
            purpose=judging.PURPOSE,
            model=judged.model,
            prompt_version=prompt.ref,
            usage=judged.usage,
            at=now,
        )
        finished = await service.results.by_ai(uow, battle, judged.verdict)
        if finished is not None:
            await announce_outcome(ctx, uow, finished.battle)
        await uow.commit()
    return True


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
