"""What check-ins record: the activity kinds and member counters of the checkin feature."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

CHECKINS = counter("checkins", "check-ins")
STREAK = counter("streak", "longest streak in days", best_of=True)


@activity("checked_in", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedIn(Activity):
    """A member checked in for their local day; `streak` is the run it is part of."""

    streak: int
    longest: int
    local_date: str

    def counters(self) -> Mapping[str, int]:
        return {CHECKINS: 1, STREAK: max(self.longest, self.streak)}


@activity("streak_milestone", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class StreakMilestone(Activity):
    """A streak reached a configured milestone, paying `points` and `freezes`."""

    days: int
    points: int
    freezes: int
