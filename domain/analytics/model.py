"""What the analytics roll-ups hold and what the dashboard shows from them.

Definitions (the README repeats them for moderators):
- a member is *active* on a local day when they checked in, voted, gave or
  earned points, or completed a quest that day (the community's time zone);
- DAU = active members that day; WAU / MAU = distinct active members over the
  7 / 30 days ending that day; stickiness = DAU / MAU;
- retention Dn of a join cohort (members who joined on day C) = the share of
  the cohort active on day C + n exactly;
- participation over a window = the share of members active in the window who
  did each kind of thing at least once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.core.ids import MemberId


@dataclass(frozen=True, slots=True)
class MemberDay:
    """One member's activity on one local day: the unit every metric is built from."""

    member_id: MemberId
    day: date
    checkins: int = 0
    votes: int = 0
    gifts: int = 0
    quests: int = 0
    points_earned: int = 0
    points_spent: int = 0


@dataclass(frozen=True, slots=True)
class DailyStats:
    """The community's numbers for one local day."""

    day: date
    members: int
    new_members: int
    dau: int
    wau: int
    mau: int
    checkins: int
    votes: int
    gifts: int
    quests: int
    points_issued: int
    points_spent: int

    @property
    def stickiness(self) -> float:
        """DAU / MAU: how many of the month's active members come back daily."""
        return self.dau / self.mau if self.mau else 0.0


@dataclass(frozen=True, slots=True)
class RetentionRow:
    """A join cohort and how many of it were active 1, 7 and 30 days after joining."""

    cohort: date
    size: int
    d1: int
    d7: int
    d30: int

    def rate(self, kept: int) -> float:
        """Share of the cohort; 0 for an empty cohort."""
        return kept / self.size if self.size else 0.0


@dataclass(frozen=True, slots=True)
class Participation:
    """Shares of the window's active members who did each thing at least once."""

    active: int
    checked_in: int
    voted: int
    gave: int
    completed_quest: int

    def share(self, count: int) -> float:
        """`count` as a share of the window's active members."""
        return count / self.active if self.active else 0.0


@dataclass(frozen=True, slots=True)
class TopContributor:
    """A member and the points they earned in a window."""

    member_id: MemberId
    display_name: str
    points: int
    active_days: int


@dataclass(frozen=True, slots=True)
class Headline:
    """The numbers `/admin stats` and the overview page lead with, for a window of days."""

    first_day: date
    last_day: date
    members: int
    new_members: int
    dau: int
    wau: int
    mau: int
    stickiness: float
    retention_d30: float | None
    participation: Participation
    points_issued: int
    points_spent: int
    top: tuple[TopContributor, ...]
