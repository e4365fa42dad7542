"""What XP records: gains, level-ups and tier-ups; and the XP counter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

XP = counter("xp", "XP earned")


@activity("xp_gained", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class XpGained(Activity):
    """The member earned `amount` XP for an activity of kind `source`."""

    amount: int
    source: str
    total_xp: int

    def counters(self) -> Mapping[str, int]:
        return {XP: self.amount}


@activity("level_up", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class LevelUp(Activity):
    """The member reached `level` (from `previous`)."""

    level: int
    previous: int
    total_xp: int


@activity("tier_up", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class TierUp(Activity):
    """The member grew into tier `tier`; `roles` are the roles of every tier passed."""

    tier_index: int
    tier: str
    previous_index: int
    roles: tuple[str, ...] = ()
