"""The quests projection: a batch's progress on open quests, written with one statement.

Applied activity by activity, quest progress cost a query for the open quests
per activity instant and an UPSERT per quest and activity. Here a batch reads
each community's quests open during the batch's span once, sums every move
per (quest, member, period) in memory, writes the sums with one multi-row
UPSERT that returns the new values, and completes what reached its target.
Sums do not depend on how the log was batched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from domain.core.activity import ANY_KIND, Activity
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.quests import schedule
from domain.quests.model import GOALS_BY_COUNTER, Completion, Quest
from domain.quests.repository import QuestRepository
from domain.quests.service import QuestService

Announce = Callable[[UnitOfWork, Completion], Awaitable[None]]
_Key = tuple[int, MemberId, str]


class QuestsProjection:
    """Advance every open quest whose goal a batch's activities count toward."""

    name = "quests.progress"
    kinds = (ANY_KIND,)

    def __init__(self, service: QuestService, announce: Announce) -> None:
        self._service = service
        self._announce = announce

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Sum the batch's progress, write it once, complete and announce what is done."""
        moves: list[tuple[Activity, MemberId, str, int]] = []
        spans: dict[CommunityId, tuple[datetime, datetime]] = {}
        for item in batch:
            for change in item.counter_moves():
                goal = GOALS_BY_COUNTER.get(change.counter)
                if goal is None or change.amount <= 0:
                    continue
                moves.append((item, change.member_id, goal.value, change.amount))
                lo, hi = spans.get(item.community_id, (item.occurred_at, item.occurred_at))
                spans[item.community_id] = (min(lo, item.occurred_at), max(hi, item.occurred_at))
        if not moves:
            return
        repo = uow.get(QuestRepository)
        open_quests: dict[CommunityId, list[Quest]] = {}
        zones: dict[CommunityId, str] = {}
        for community_id, (lo, hi) in spans.items():
            open_quests[community_id] = await repo.open_between(community_id, lo, hi)
            if open_quests[community_id]:
                community = await uow.get(IdentityRepository).get_community(community_id)
                zones[community_id] = community.timezone if community else "UTC"
        amounts: dict[_Key, int] = {}
        quests: dict[int, Quest] = {}
        for item, member_id, wanted, amount in moves:
            for quest in open_quests[item.community_id]:
                if quest.goal != wanted or not quest.is_open(item.occurred_at):
                    continue
                zone = zones[item.community_id]
                period = schedule.period_of(quest.repeat, item.occurred_at, zone)
                key = (quest.id, member_id, period)
                amounts[key] = amounts.get(key, 0) + amount
                quests[quest.id] = quest
        if not amounts:
            return
        values = await repo.add_progress_many(amounts)
        for (quest_id, member_id, period), value in sorted(values.items()):
            quest = quests[quest_id]
            if value >= quest.target:
                done = await self._service.complete(uow, quest, member_id, period)
                if done is not None:
                    await self._announce(uow, done)
