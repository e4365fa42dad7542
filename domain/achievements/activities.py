"""What achievements record: an unlock."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.activity import Activity, activity


@activity("achievement_unlocked", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class AchievementUnlocked(Activity):
    """The member unlocked catalog achievement `achievement`."""

    achievement: str
