"""XP from activities, levels and tiers."""

from __future__ import annotations

import logging
from datetime import datetime

from domain.core.activity import Activity
from domain.core.contracts import TierInfo
from domain.core.ids import MemberId
from domain.core.localtime import local_day
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.identity.repository import IdentityRepository
from domain.progress.activities import XpGained
from domain.progress.config import ProgressSection
from domain.progress.model import DayTotals, MemberXp, SourceToday, Standing, XpAward
from domain.progress.repository import XpRepository
from domain.progress.rules import LevelCurve, XpDecision, milestones, xp_for_occurrence

log = logging.getLogger(__name__)


class ProgressService:
    """Turn activities into XP under the configured rules; keep level and tier.

    The XP projection (`domain.progress.projection`) applies batches of the
    kinds in `[progress.xp]`; `award_for` decides one occurrence (imports). The XP award log has a
    unique key per occurrence ("xp:<kind>:<activity key>"), so replays pay
    nothing. A refused occurrence (cooldown, cap, diminished to nothing, a
    locked member) earns no XP but never undoes the activity itself.

    Also the `TierReader` other features use (`tier_of`).
    """

    def __init__(self, config: ProgressSection) -> None:
        self._config = config
        self.curve = LevelCurve(config)

    @property
    def sources(self) -> tuple[str, ...]:
        """The activity kinds that can earn XP."""
        return tuple(self._config.xp)

    async def award_for(self, uow: UnitOfWork, activity: Activity) -> XpDecision:
        """Award XP for `activity`; `explicit_xp()` gives an explicit amount (quests)."""
        rule = self._config.xp.get(activity.kind)
        explicit = activity.explicit_xp()
        if rule is None and explicit is None:
            return XpDecision(0)
        identity = uow.get(IdentityRepository)
        member = await identity.get_member(activity.member_id)
        if member is None or member.is_locked:  # locked members earn nothing
            return XpDecision(0)
        zone = member.timezone
        if zone is None:
            community = await identity.get_community(member.community_id)
            zone = community.timezone if community else "UTC"
        today = local_day(activity.occurred_at, zone)
        repo = uow.get(XpRepository)
        state = await repo.lock(member.community_id, member.id)
        if explicit is not None:
            # A malformed amount from another feature must not undo its action.
            amount = explicit if isinstance(explicit, int) and not isinstance(explicit, bool) else 0
            if amount != explicit:
                log.warning("ignoring non-integer xp %r on %s", explicit, activity.kind)
            decision = XpDecision(max(amount, 0))
        else:
            assert rule is not None
            if rule.cooldown_minutes or rule.daily_cap or rule.diminish_after:
                totals, last_at = await repo.recent(member.id, activity.kind, today)
            else:  # no brakes: the rule ignores the member's recent awards, skip the read
                totals, last_at = DayTotals(0, 0), None
            decision = xp_for_occurrence(
                rule,
                now=activity.occurred_at,
                last_award_at=last_at,
                awards_today=totals.awards,
                xp_today=totals.xp,
            )
        if decision.amount <= 0:
            log.debug("no XP for %s of member %s: %s", activity.kind, member.id, decision)
            return decision
        award = XpAward(
            community_id=member.community_id,
            member_id=member.id,
            source=activity.kind,
            amount=decision.amount,
            key=f"xp:{activity.kind}:{activity.key}"[:200],
            local_date=today,
            created_at=activity.occurred_at,
        )
        if not await self._grant(uow, member, state, award):
            return XpDecision(0)
        return decision

    async def _grant(
        self, uow: UnitOfWork, member: Member, state: MemberXp, award: XpAward
    ) -> bool:
        repo = uow.get(XpRepository)
        if not await repo.add_award(award):
            return False  # this occurrence already paid
        xp = await repo.add_xp(member.id, award.amount)
        uow.record(
            XpGained(
                community_id=member.community_id,
                member_id=member.id,
                key=award.key,
                occurred_at=award.created_at,
                amount=award.amount,
                source=award.source,
                total_xp=xp,
            )
        )
        level = self.curve.level_for(xp)
        if level <= state.level:
            return True
        # Conditional: of two writers, only the one that moves the level up reports it.
        if not await repo.raise_level(member.id, level, self.curve.tier_index_for(level)):
            return True
        for reached in milestones(
            self.curve, award, previous_level=state.level, previous_tier=state.tier_index, xp=xp
        ):
            uow.record(reached)
        return True

    async def standing(self, uow: UnitOfWork, member_id: MemberId) -> Standing:
        """Level, tier and the distance to the next of each."""
        state = await uow.get(XpRepository).get(member_id)
        return self.standing_for(state.xp)

    def standing_for(self, xp: int) -> Standing:
        curve = self.curve
        level = curve.level_for(xp)
        tier = curve.tier_index_for(level)
        tiers = curve.tiers
        next_tier = tiers[tier + 1] if tier + 1 < len(tiers) else None
        return Standing(
            xp=xp,
            level=level,
            level_start_xp=curve.xp_for_level(level),
            next_level_xp=curve.xp_for_level(level + 1) if level < curve.max_level else None,
            tier_index=tier,
            tier_name=tiers[tier].name,
            tier_start_xp=curve.xp_for_level(tiers[tier].level),
            next_tier_name=next_tier.name if next_tier else None,
            next_tier_xp=curve.xp_for_level(next_tier.level) if next_tier else None,
        )

    async def today(
        self, uow: UnitOfWork, member: Member, timezone: str, now: datetime
    ) -> list[SourceToday]:
        """What the member earned today per source, so the brakes are visible."""
        summary = await uow.get(XpRepository).day_summary(member.id, local_day(now, timezone))
        out = []
        for source, totals in sorted(summary.items()):
            rule = self._config.xp.get(source)
            out.append(SourceToday(source, totals.xp, totals.awards, rule.daily_cap if rule else 0))
        return out

    async def tier_of(self, uow: UnitOfWork, member_id: MemberId) -> TierInfo:
        """The `TierReader` contract: level and tier for gates and badges."""
        s = await self.standing(uow, member_id)
        return TierInfo(
            level=s.level,
            xp=s.xp,
            tier_index=s.tier_index,
            tier_name=s.tier_name,
            next_tier_name=s.next_tier_name,
            xp_to_next_tier=s.xp_to_next_tier,
        )
