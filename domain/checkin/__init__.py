"""Daily check-in and streaks, counted in each member's own time zone."""

from domain.checkin.errors import AlreadyCheckedInError
from domain.checkin.model import CheckinResult, StreakState
from domain.checkin.repository import StreakRepository
from domain.checkin.rules import local_day, next_local_midnight
from domain.checkin.service import CheckinService

__all__ = [
    "AlreadyCheckedInError",
    "CheckinResult",
    "CheckinService",
    "StreakRepository",
    "StreakState",
    "local_day",
    "next_local_midnight",
]
