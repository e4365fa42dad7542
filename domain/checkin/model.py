"""Streak values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.ids import MemberId


@dataclass(frozen=True, slots=True)
class StreakState:
    """A member's streak as stored; `total` doubles as the row's version."""

    member_id: MemberId
    current: int
    longest: int
    total: int
    last_checkin_at: datetime | None
    last_local_date: date | None


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """What a successful check-in did."""

    local_date: date
    streak: int
    longest: int
    total: int
    points: int
    balance: int
