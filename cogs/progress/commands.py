"""Progress handler: /profile with its rank card."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from cogs.kit import Call, Image, Reply
from cogs.progress import cards
from cogs.progress.card import CardData, render_card
from domain.checkin import StreakRepository
from domain.core.contracts import AchievementReader, RankReader
from domain.core.localtime import local_day
from domain.identity import Member
from domain.progress import ProgressService


@dataclass(frozen=True, slots=True)
class ProfileOptions:
    """Options of /profile."""

    member: Member | None


async def profile(call: Call, o: ProfileOptions) -> Reply:
    """Level, tier, points, streak, XP today, rank and top achievements, with a rank card."""
    ctx = call.ctx
    service = ctx.need(ProgressService)
    who = o.member or call.member
    standing = await service.standing(call.uow, who.id)
    balance = await ctx.points.balance(call.uow, who.id)
    streak = await call.uow.get(StreakRepository).get(who.id)
    current = streak.current
    zone = who.timezone or call.community.timezone
    if streak.last_checkin_at is not None:
        missed = (local_day(call.now, zone) - local_day(streak.last_checkin_at, zone)).days - 1
        if missed > streak.freezes:  # broken; it restarts at the next check-in
            current = 0
    rank_reader = ctx.maybe(RankReader)
    rank = await rank_reader.rank_of(call.uow, who.id, "xp", "all") if rank_reader else None
    achievement_reader = ctx.maybe(AchievementReader)
    achievements = (
        await achievement_reader.top_for(call.uow, who.id, 3) if achievement_reader else []
    )
    today = await service.today(call.uow, who, zone, call.now)
    reply = cards.profile(call, who, standing, balance, streak, current, today, rank, achievements)
    card = CardData(
        name=who.display_name,
        level=standing.level,
        tier_name=standing.tier_name,
        tier_index=standing.tier_index,
        xp=standing.xp,
        level_start_xp=standing.level_start_xp,
        next_level_xp=standing.next_level_xp,
        rank=rank.position if rank else None,
        ranked=rank.out_of if rank else None,
    )
    png = await asyncio.to_thread(render_card, card)
    return reply.with_(
        image=Image(
            png,
            "rank-card.png",
            alt=f"{who.display_name}: level {standing.level}, {standing.tier_name}",
        ),
    )
