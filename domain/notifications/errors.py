"""Refusals of the notification settings."""

from domain.core.errors import UserFacingError


class BadQuietHoursError(UserFacingError):
    """Quiet hours that are not like 22:00-07:00 (params: given)."""

    code = "notifications.bad_quiet_hours"


class BadChannelError(UserFacingError):
    """A channel that is not a mention, an id or a name (params: given)."""

    code = "notifications.bad_channel"
