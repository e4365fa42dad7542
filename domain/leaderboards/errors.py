"""Refusals of the leaderboards."""

from domain.core.errors import UserFacingError


class InvalidSeasonError(UserFacingError):
    """Not a week like 2026-W46 or a month like 2026-11 (params: season, period, example)."""

    code = "leaderboards.season_invalid"


class SeasonNeedsPeriodError(UserFacingError):
    """The all-time board has no seasons (params: season)."""

    code = "leaderboards.season_all_time"


class FutureSeasonError(UserFacingError):
    """A season that has not started yet (params: season)."""

    code = "leaderboards.season_future"
