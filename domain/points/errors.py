"""Refusals of the points ledger."""

from domain.errors import UserFacingError


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
