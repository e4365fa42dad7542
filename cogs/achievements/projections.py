"""What achievements derive from activities: member counters, unlocks and their announcements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from domain.achievements import AchievementService, Unlocked
from domain.achievements.repository import AchievementRepository
from domain.core.activity import ANY_KIND, Activity
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.identity.activities import MemberJoined

Announce = Callable[[UnitOfWork, Sequence[Unlocked]], Awaitable[None]]


class CountersProjection:
    """Move every counter a batch moves (multi-row upserts), unlock and announce what is due."""

    name = "achievements.counters"
    kinds = (ANY_KIND,)

    def __init__(self, service: AchievementService, announce: Announce) -> None:
        self._service = service
        self._announce = announce

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Count the batch; announce its unlocks together (one read of who they are)."""
        await self._announce(uow, await self._service.apply(uow, batch))


class CommunitySizeProjection:
    """Count members who joined into the stored community size (rarity reads it).

    Registered before the counters, so an unlock in the same batch as a join
    already counts the newcomer.
    """

    name = "achievements.community-size"
    kinds = (MemberJoined.kind,)

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """One UPSERT per batch, whatever the number of joins."""
        joined: dict[CommunityId, int] = {}
        for item in batch:
            joined[item.community_id] = joined.get(item.community_id, 0) + 1
        await uow.get(AchievementRepository).grow_communities(joined)
