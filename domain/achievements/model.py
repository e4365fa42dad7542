"""Achievement values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.achievements.config import AchievementSpec
from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class Unlocked:
    """An achievement a member just earned, with its rarity after earning it."""

    community_id: CommunityId
    member_id: MemberId
    spec: AchievementSpec
    at: datetime
    rarity_percent: float


@dataclass(frozen=True, slots=True)
class AchievementStatus:
    """One catalog entry as seen for one member: held or not, progress, rarity."""

    spec: AchievementSpec
    held_at: datetime | None
    rarity_percent: float
    progress: dict[str, int]  # counter -> the member's value (capped at the target)

    @property
    def held(self) -> bool:
        return self.held_at is not None

    @property
    def fraction(self) -> float:
        """How far along the member is: the least advanced condition decides."""
        return min(min(self.progress.get(c, 0), n) / n for c, n in self.spec.requires.items())
