"""Leaderboard values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.core.contracts import BoardRow, Rank
from domain.core.ids import MemberId


class Board(StrEnum):
    """What a board ranks."""

    POINTS = "points"  # points earned in the period (gifts received excluded by default)
    XP = "xp"  # experience gained in the period
    STREAK = "streak"  # the longest check-in streak reached in the period
    BATTLE = "battle"  # Elo rating all-time; battles won in a week or month

    def unit(self, n: int) -> str:
        """The score's unit for a number: "1 point", "14 points", "7 days"."""
        one, many = {
            "points": ("point", "points"),
            "xp": ("XP", "XP"),
            "streak": ("day", "days"),
            "battle": ("win", "wins"),
        }[self.value]
        return one if n == 1 else many


class Period(StrEnum):
    """A board's period: all time, a week or a month."""

    ALL = "all"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The member just above someone: who, with what score, at which position."""

    member_id: MemberId
    display_name: str
    score: int
    position: int


@dataclass(frozen=True, slots=True)
class Standings:
    """One page of a board plus the asking member's place on it."""

    board: Board
    period: Period
    season: str  # "all", "2026-W47", "2026-11"
    current: bool  # the season that is running now
    top: list[BoardRow]
    mine: Rank | None
    ahead: Neighbour | None  # the next member above the asker; None at #1 or unranked
    first_day: str | None = None  # ISO date, for week/month seasons
    last_day: str | None = None
