"""Leaderboards: points, XP and streak boards per all-time, week and month season."""

import domain.core.config  # noqa: F401  (first: the config section below subclasses its Section)
from domain.leaderboards.config import LeaderboardsSection
from domain.leaderboards.errors import (
    FutureSeasonError,
    InvalidSeasonError,
    SeasonNeedsPeriodError,
)
from domain.leaderboards.model import Board, Neighbour, Period, Standings
from domain.leaderboards.repository import BoardRepository
from domain.leaderboards.service import LeaderboardService

__all__ = [
    "Board",
    "BoardRepository",
    "FutureSeasonError",
    "InvalidSeasonError",
    "LeaderboardService",
    "LeaderboardsSection",
    "Neighbour",
    "Period",
    "SeasonNeedsPeriodError",
    "Standings",
]
