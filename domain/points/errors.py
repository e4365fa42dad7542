"""Refusals of the points ledger."""

from domain.core.errors import UserFacingError


class InsufficientPointsError(UserFacingError):
    """The balance is smaller than the amount asked for (params: balance, amount)."""

    code = "points.insufficient"


class GiftToSelfError(UserFacingError):
    """Points cannot be given to oneself."""

    code = "points.gift_self"


class NonPositiveAmountError(UserFacingError):
    """Amounts are whole numbers above zero (params: amount)."""

    code = "points.amount_not_positive"


class GiftTooLargeError(UserFacingError):
    """One gift may not exceed the configured maximum (params: amount, maximum)."""

    code = "points.gift_too_large"


class GiftQuotaError(UserFacingError):
    """The giver reached the daily giving quota (params: quota, given, left, resets_in)."""

    code = "points.gift_quota"


class SelfDealingError(UserFacingError):
    """A moderator tried to award, revoke, lock or unlock themselves."""

    code = "points.self_dealing"


class ReasonRequiredError(UserFacingError):
    """Moderator actions need a reason for the record."""

    code = "points.reason_required"


class RevokeTooLargeError(UserFacingError):
    """A revoke larger than the balance (params: name, balance, amount)."""

    code = "points.revoke_too_large"


class NotLockedError(UserFacingError):
    """Unlocking a member who is not locked (params: name)."""

    code = "points.not_locked"


class AlreadyLockedError(UserFacingError):
    """Locking a member who is already locked (params: name, reason)."""

    code = "points.already_locked"


class HistoryPageError(UserFacingError):
    """A history page past the last one (params: page, pages)."""

    code = "points.history_page"
