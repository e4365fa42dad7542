"""Pure rules: the level curve, tiers, and how much XP one occurrence earns."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.core.activity import Activity
from domain.progress.activities import LevelUp, TierUp
from domain.progress.config import ProgressSection, XpRule
from domain.progress.model import XpAward


class Withheld(StrEnum):
    """Why an occurrence earned no XP (activity handlers stay silent; this is for logs/tests)."""

    COOLDOWN = "cooldown"
    DAILY_CAP = "daily_cap"
    DIMINISHED = "diminished"
    NO_RULE = "no_rule"


@dataclass(frozen=True, slots=True)
class XpDecision:
    """How much XP an activity gives, and what a daily cap withheld."""

    amount: int
    withheld: Withheld | None = None


def xp_for_occurrence(
    rule: XpRule,
    *,
    now: datetime,
    last_award_at: datetime | None,
    awards_today: int,
    xp_today: int,
) -> XpDecision:
    """Apply cooldown, diminishing returns and the daily cap, in that order."""
    if rule.amount <= 0:
        return XpDecision(0, Withheld.NO_RULE)
    if (
        rule.cooldown_minutes
        and last_award_at is not None
        and now - last_award_at < timedelta(minutes=rule.cooldown_minutes)
    ):
        return XpDecision(0, Withheld.COOLDOWN)
    amount = rule.amount
    nth = awards_today + 1
    if rule.diminish_after and nth > rule.diminish_after:
        amount = math.floor(amount * rule.diminish_factor ** (nth - rule.diminish_after))
        if amount <= 0:
            return XpDecision(0, Withheld.DIMINISHED)
    if rule.daily_cap:
        amount = min(amount, rule.daily_cap - xp_today)
        if amount <= 0:
            return XpDecision(0, Withheld.DAILY_CAP)
    return XpDecision(amount)


class LevelCurve:
    """Levels and tiers from total XP, as configured."""

    def __init__(self, config: ProgressSection) -> None:
        self._config = config
        self.tiers = config.tiers
        self.max_level = config.max_level
        self._thresholds = [self._threshold(level) for level in range(1, config.max_level + 1)]

    def _threshold(self, level: int) -> int:
        if level <= 1:
            return 0
        return round(self._config.level_base * (level - 1) ** self._config.level_exponent)

    def xp_for_level(self, level: int) -> int:
        """Total XP at which `level` is reached (level 1 at 0 XP)."""
        level = min(max(level, 1), self.max_level)
        return self._thresholds[level - 1]

    def level_for(self, xp: int) -> int:
        low, high = 1, self.max_level
        while low < high:  # the highest level whose threshold is <= xp
            mid = (low + high + 1) // 2
            if self._thresholds[mid - 1] <= xp:
                low = mid
            else:
                high = mid - 1
        return low

    def tier_index_for(self, level: int) -> int:
        index = 0
        for i, tier in enumerate(self.tiers):
            if tier.level <= level:
                index = i
        return index


def milestones(
    curve: LevelCurve, award: XpAward, *, previous_level: int, previous_tier: int, xp: int
) -> list[Activity]:
    """The level-up (and tier-up) an award that brought a member to `xp` records.

    One definition for the projector's batches and for imports, so both name
    the same keys (each level and tier is announced once) and a big jump
    lists the role of every tier it passed.
    """
    level = curve.level_for(xp)
    if level <= previous_level:
        return []
    found: list[Activity] = [
        LevelUp(
            community_id=award.community_id,
            member_id=award.member_id,
            key=f"level:{award.member_id}:{level}",
            occurred_at=award.created_at,
            level=level,
            previous=previous_level,
            total_xp=xp,
        )
    ]
    tier = curve.tier_index_for(level)
    if tier > previous_tier:
        crossed = curve.tiers[previous_tier + 1 : tier + 1]
        found.append(
            TierUp(
                community_id=award.community_id,
                member_id=award.member_id,
                key=f"tier:{award.member_id}:{tier}",
                occurred_at=award.created_at,
                tier_index=tier,
                tier=curve.tiers[tier].name,
                previous_index=previous_tier,
                roles=tuple(t.role for t in crossed if t.role),
            )
        )
    return found
