"""The AI judge's minute job: claim an attempt, ask the model, apply the verdict once.

The model is never called from a command or inside a transaction (it may take
seconds): a revealed AI battle waits in JUDGING and this job decides it. Each
attempt is claimed first (`domain.battles.queue`), so overlapping runs or two
processes never ask twice; a failure is retried by a later run after a
backoff; after `judge_attempts` failures, or when AI is off or over budget,
the battle goes to a community vote and the channel is told.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.battles.announce import announce_outcome, post
from cogs.kit import CogContext, Reply
from cogs.kit.messages import text
from domain.battles import Battle, Side, judging, queue
from domain.battles.repository import battles
from domain.battles.service import BattleService
from domain.core.ai import AiBadAnswer, AiTemporarilyDown, AiUnavailable, ChatModel
from domain.core.ai_spend import AiCallRepository, SpendCapReached, check_spend, record_call
from domain.core.prompts import PromptBook
from domain.core.uow import UnitOfWork
from domain.identity.model import Community
from domain.identity.repository import IdentityRepository

log = logging.getLogger(__name__)


def _spend(uow: UnitOfWork) -> AiCallRepository:
    return uow.get(AiCallRepository)


async def judge_queue(ctx: CogContext, now: datetime) -> int:
    """Make one judge attempt for every battle due; how many were due."""
    async with ctx.uow(read_only=True) as uow:
        waiting = await queue.due(uow, now)
    for battle in waiting:
        try:
            await judge_one(ctx, battle, now)
        except Exception:  # the claimed attempt counts; a later run goes on
            log.exception("could not judge battle %s; it will be retried", battle.id)
    return len(waiting)


async def judge_one(ctx: CogContext, battle: Battle, now: datetime) -> None:
    """One attempt at one battle (or its fall-back to a vote), as described above."""
    model = ctx.maybe(ChatModel)
    attempts = ctx.config.battles.judge_attempts
    if model is None or not model.configured or queue.exhausted(battle, attempts):
        await fall_back_to_vote(ctx, battle, now)
        return
    async with ctx.uow() as uow:
        community = await uow.get(IdentityRepository).get_community(battle.community_id)
        assert community is not None
        affordable = await _affordable(ctx, uow, community, now)
        claimed = affordable and await queue.claim(uow, battle, now)
        entries = {e.member_id: e.text for e in await battles(uow).entries(battle.id)}
        if claimed:
            await uow.commit()
    if not affordable:
        await fall_back_to_vote(ctx, battle, now)
        return
    if not claimed:
        return  # another runner has this attempt
    attempt = battle.judge_attempts + 1
    try:
        judged = await judging.judge(
            model,
            ctx.need(PromptBook).get(judging.PURPOSE),
            community=community.name,
            battle_prompt=battle.prompt,
            entry_a=entries[battle.member_of(Side.A)],
            entry_b=entries[battle.member_of(Side.B)],
        )
    except AiUnavailable:
        await fall_back_to_vote(ctx, battle, now)
        return
    except (AiTemporarilyDown, AiBadAnswer) as err:
        log.warning("battle %s: judge attempt %s failed: %s", battle.id, attempt, err)
        if attempt >= attempts:
            await fall_back_to_vote(ctx, battle, now)
            return
        async with ctx.uow() as uow:
            await queue.retry_later(uow, battle, attempt, now)
            await uow.commit()
        return
    await _apply(ctx, battle, judged, now)


async def _affordable(
    ctx: CogContext, uow: UnitOfWork, community: Community, now: datetime
) -> bool:
    """The community's AI budget still covers a judging (checked before the model is asked)."""
    try:
        await check_spend(
            _spend(uow),
            ctx.config.ai,
            community_id=community.id,
            member_id=None,
            purpose=judging.PURPOSE,
            member_daily_tokens=0,
            now=now,
            tz=ZoneInfo(community.timezone),
        )
    except SpendCapReached:
        return False
    return True


async def _apply(ctx: CogContext, battle: Battle, judged: judging.Judged, now: datetime) -> None:
    """Record the spend and finish the battle with the verdict, in one transaction."""
    service = ctx.need(BattleService)
    async with ctx.uow() as uow:
        await record_call(
            _spend(uow),
            ctx.config.ai,
            community_id=battle.community_id,
            member_id=None,
            purpose=judging.PURPOSE,
            model=judged.model,
            prompt_version=ctx.need(PromptBook).get(judging.PURPOSE).ref,
            usage=judged.usage,
            at=now,
        )
        finished = await service.results.by_ai(uow, battle, judged.verdict)
        if finished is not None:
            await announce_outcome(ctx, uow, finished.battle)
        await uow.commit()


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
