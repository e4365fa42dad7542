"""Refusals of the payments commands."""

from domain.core.errors import UserFacingError


class PaymentsNotSetUpError(UserFacingError):
    """No Stripe key configured."""

    code = "payments.not_set_up"


class UnknownPackError(UserFacingError):
    """A pack or plan id not in config (params: id)."""

    code = "payments.unknown_pack"


class NoSubscriptionError(UserFacingError):
    """Managing premium without ever having subscribed."""

    code = "payments.no_subscription"


class PaymentProviderError(UserFacingError):
    """Stripe did not answer or refused; nothing was charged."""

    code = "payments.provider_error"
