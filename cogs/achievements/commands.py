"""Achievements handler: a member's achievements with how rare each one is."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.achievements import cards
from cogs.kit import Call, Reply
from domain.achievements import AchievementService
from domain.identity import Member


@dataclass(frozen=True, slots=True)
class AchievementsOptions:
    """Options of /achievements."""

    member: Member | None


async def achievements(call: Call, o: AchievementsOptions) -> Reply:
    """The caller's achievements, or another member's."""
    who = o.member or call.member
    statuses = await call.ctx.need(AchievementService).statuses(call.uow, call.community.id, who.id)
    return cards.render(call, who, statuses)
