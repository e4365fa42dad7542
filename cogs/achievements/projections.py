"""What achievements derive from activities: member counters, unlocks and their announcements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from domain.achievements import AchievementService, Unlocked
from domain.core.activity import ANY_KIND, Activity
from domain.core.uow import UnitOfWork

Announce = Callable[[UnitOfWork, Unlocked], Awaitable[None]]


class CountersProjection:
    """Move every counter a batch moves (multi-row upserts), unlock and announce what is due."""

    name = "achievements.counters"
    kinds = (ANY_KIND,)

    def __init__(self, service: AchievementService, announce: Announce) -> None:
        self._service = service
        self._announce = announce

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Count the batch; announce each unlock."""
        for unlocked in await self._service.apply(uow, batch):
            await self._announce(uow, unlocked)
