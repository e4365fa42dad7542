"""The home view's handler: gather a member's facts from every installed feature.

Balance and streak come from the foundation; level and tier, rank, quests and
proposals from other features through `domain.core.contracts`, asked with
`ctx.maybe`: a feature that is not installed (or fails) leaves its part out
rather than blanking the whole view.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from cogs.home import cards
from cogs.kit import Call, Reply
from domain.checkin.repository import StreakRepository
from domain.core.contracts import ProposalReader, QuestReader, RankReader, TierReader
from domain.core.localtime import local_day

log = logging.getLogger(__name__)
T = TypeVar("T")


async def _optional(what: str, read: Callable[[], Awaitable[T]]) -> T | None:
    try:
        return await read()
    except Exception:
        log.exception("home: reading %s failed; leaving it out", what)
        return None


async def home(call: Call) -> Reply:
    """Show the member's dashboard (read-only: opening it changes nothing)."""
    ctx, uow, member = call.ctx, call.uow, call.member
    zone = member.timezone or call.community.timezone
    streak = await uow.get(StreakRepository).get(member.id)
    today = local_day(call.now, zone)
    alive = streak.last_checkin_at is not None and local_day(
        streak.last_checkin_at, zone
    ) >= today - timedelta(days=1)
    tiers, ranks = ctx.maybe(TierReader), ctx.maybe(RankReader)
    quests, proposals = ctx.maybe(QuestReader), ctx.maybe(ProposalReader)
    facts = cards.HomeFacts(
        balance=await ctx.points.balance(uow, member.id),
        streak=streak.current if alive else 0,
        longest=streak.longest,
        tier=await _optional("tier", lambda: tiers.tier_of(uow, member.id)) if tiers else None,
        rank=await _optional("rank", lambda: ranks.rank_of(uow, member.id)) if ranks else None,
        ranked=ranks is not None,
        quests=(
            await _optional("quests", lambda: quests.active_for(uow, member.id)) if quests else None
        ),
        proposals=(
            await _optional("proposals", lambda: proposals.awaiting_vote(uow, member.id))
            if proposals
            else None
        ),
        now=call.now,
    )
    return cards.home(facts)
