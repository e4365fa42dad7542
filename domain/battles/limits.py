"""Fair-play limits: battles a day per member and a week per pair, counted under row locks.

The limits are counts of battles: two transactions that both count before
either commits would both pass and overshoot (seen on PostgreSQL with eight
concurrent accepts). `hold` locks the members' battle records first, so the
next transaction counts only after the previous one committed its battle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from domain.battles.config import BattlesSection
from domain.battles.errors import DailyLimitError, PairLimitError
from domain.battles.repository import BattleRepository, battles
from domain.core.contracts import PerksReader
from domain.core.ids import CommunityId, MemberId
from domain.core.localtime import local_day_start
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member


class FairPlayLimits:
    """How many battles a member may start a day, and a pair may fight a week."""

    def __init__(self, cfg: BattlesSection, perks: Callable[[], PerksReader | None]) -> None:
        self._cfg = cfg
        self._perks = perks  # a premium plan's extra battles a day (payments, when installed)

    async def hold(
        self, repo: BattleRepository, community_id: CommunityId, member_ids: list[MemberId]
    ) -> None:
        """Lock the members' battle records (in id order) until commit; SQLite has one writer."""
        await repo.ratings(community_id, member_ids, self._cfg.start_rating, lock=True)

    async def check_daily(
        self, uow: UnitOfWork, community: Community, member: Member, now: datetime
    ) -> None:
        """Refuse a battle beyond the member's daily limit (in their own day)."""
        since = local_day_start(now, member.timezone or community.timezone)
        limit = self._cfg.daily_limit
        reader = self._perks()
        if reader is not None:
            limit += (await reader.perks_of(uow, member.id)).extra_battles_per_day
        if await battles(uow).started_since(member.id, since) >= limit:
            raise DailyLimitError(name=member.display_name, limit=limit)

    async def check_pair(
        self, repo: BattleRepository, one: MemberId, other: MemberId, now: datetime
    ) -> None:
        """Refuse a battle beyond the pair's weekly limit."""
        week = await repo.pair_since(one, other, now - timedelta(days=7))
        if week >= self._cfg.pair_weekly_limit:
            raise PairLimitError(limit=self._cfg.pair_weekly_limit)
