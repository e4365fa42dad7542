"""The boards projection: scores per period from points credited, XP gained and check-ins."""

from __future__ import annotations

from collections.abc import Sequence

from domain.checkin.activities import CheckedIn
from domain.core.activity import Activity
from domain.core.uow import UnitOfWork
from domain.leaderboards.service import LeaderboardService
from domain.points.activities import PointsCredited
from domain.progress.activities import XpGained


class BoardsProjection:
    """Keep the points, XP and streak boards in step with the activities that score."""

    name = "leaderboards.boards"
    kinds = (PointsCredited.kind, XpGained.kind, CheckedIn.kind)

    def __init__(self, service: LeaderboardService) -> None:
        self._service = service

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Score each activity of the batch on its board."""
        for item in batch:
            if isinstance(item, PointsCredited):
                await self._service.on_points_credited(uow, item)
            elif isinstance(item, XpGained):
                await self._service.on_xp_gained(uow, item)
            elif isinstance(item, CheckedIn):
                await self._service.on_checked_in(uow, item)
