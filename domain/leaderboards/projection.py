"""The boards projection: scores per period from points, XP, check-ins and battles."""

from __future__ import annotations

from collections.abc import Sequence

from domain.battles.activities import BattleFinished
from domain.checkin.activities import CheckedIn
from domain.core.activity import Activity
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.leaderboards.repository import BoardMove, BoardRepository
from domain.leaderboards.service import LeaderboardService
from domain.points.activities import PointsCredited
from domain.progress.activities import XpGained


class BoardsProjection:
    """Keep the points, XP and streak boards in step with the activities that score."""

    name = "leaderboards.boards"
    kinds = (PointsCredited.kind, XpGained.kind, CheckedIn.kind, BattleFinished.kind)

    def __init__(self, service: LeaderboardService) -> None:
        self._service = service

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Score the batch: every add and raise in one multi-row statement each.

        A battle sets the all-time rating from the stored one, so battles (rare)
        are still applied one by one.
        """
        moves: list[BoardMove] = []
        zones: dict[CommunityId, str] = {}
        identity = uow.get(IdentityRepository)
        for item in batch:
            if isinstance(item, BattleFinished):
                await self._service.on_battle_finished(uow, item)
                continue
            zone = zones.get(item.community_id)
            if zone is None:
                community = await identity.get_community(item.community_id)
                zone = zones[item.community_id] = community.timezone if community else "UTC"
            moves += self._service.moves_for(item, zone)
        if moves:
            await uow.get(BoardRepository).move_many(moves)
