"""Refusals of the check-in."""

from domain.core.errors import UserFacingError


class AlreadyCheckedInError(UserFacingError):
    """One check-in per local day (params: streak, next_in)."""

    code = "checkin.already"


class FreezeLimitError(UserFacingError):
    """The member already holds the most freezes allowed (params: maximum)."""

    code = "checkin.freeze_limit"


class FreezeTooExpensiveError(UserFacingError):
    """The balance does not cover a freeze's price (params: price, balance).

    The ledger's own refusal speaks of giving points; a purchase needs its own words.
    """

    code = "checkin.freeze_unaffordable"


class FreezesDisabledError(UserFacingError):
    """This community does not sell streak freezes."""

    code = "checkin.freezes_disabled"


class UnknownTimezoneError(UserFacingError):
    """Not an IANA time zone name (params: zone)."""

    code = "settings.timezone_unknown"
