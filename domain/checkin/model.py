"""Streak values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.core.ids import MemberId


@dataclass(frozen=True, slots=True)
class StreakState:
    """A member's streak as stored; `total` doubles as the row's version."""

    member_id: MemberId
    current: int
    longest: int
    total: int
    last_checkin_at: datetime | None
    last_local_date: date | None
    freezes: int = 0


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """What a successful check-in did."""

    local_date: date
    streak: int
    longest: int
    total: int
    points: int
    balance: int
    milestone: int | None = None  # the milestone (days) this check-in reached
    bonus: int = 0  # milestone bonus points
    freezes_used: int = 0  # freezes spent to bridge missed days
    freezes_earned: int = 0
    freezes: int = 0  # freezes held after this check-in
