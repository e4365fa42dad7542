"""Refusals of the check-in."""

from domain.errors import UserFacingError


class AlreadyCheckedInError(UserFacingError):
    """One check-in per local day (params: streak, next_in)."""

    code = "checkin.already"
