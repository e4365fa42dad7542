"""Progress values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class MemberXp:
    """A member's stored XP, level and tier index (0 = the first tier)."""

    member_id: MemberId
    xp: int
    level: int
    tier_index: int


@dataclass(frozen=True, slots=True)
class XpAward:
    """One XP gain; `key` is unique per community, so one occurrence pays once."""

    community_id: CommunityId
    member_id: MemberId
    source: str
    amount: int
    key: str
    local_date: date
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DayTotals:
    """Awards and XP from one source on one local day."""

    awards: int
    xp: int


@dataclass(frozen=True, slots=True)
class Standing:
    """Everything /profile shows about levels and tiers."""

    xp: int
    level: int
    level_start_xp: int
    next_level_xp: int | None  # None at the maximum level
    tier_index: int
    tier_name: str
    tier_start_xp: int
    next_tier_name: str | None  # None at the top tier
    next_tier_xp: int | None

    @property
    def xp_to_next_level(self) -> int | None:
        return None if self.next_level_xp is None else self.next_level_xp - self.xp

    @property
    def level_progress(self) -> float:
        if self.next_level_xp is None:
            return 1.0
        span = self.next_level_xp - self.level_start_xp
        return (self.xp - self.level_start_xp) / span if span else 1.0

    @property
    def xp_to_next_tier(self) -> int | None:
        return None if self.next_tier_xp is None else self.next_tier_xp - self.xp

    @property
    def tier_progress(self) -> float:
        if self.next_tier_xp is None:
            return 1.0
        span = self.next_tier_xp - self.tier_start_xp
        return (self.xp - self.tier_start_xp) / span if span else 1.0


@dataclass(frozen=True, slots=True)
class SourceToday:
    """XP from one source today, against its daily cap (0 = no cap)."""

    source: str
    xp: int
    awards: int
    daily_cap: int

    @property
    def capped(self) -> bool:
        return bool(self.daily_cap) and self.xp >= self.daily_cap
