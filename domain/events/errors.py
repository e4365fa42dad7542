"""Refusals of the events feature; the words are in `cogs/events/messages.py`."""

from __future__ import annotations

from domain.core.errors import NotFoundError, UserFacingError


class EventNotFoundError(NotFoundError):
    code = "events.not_found"


class WhenUnclearError(UserFacingError):
    code = "events.when_unclear"


class WhenAmbiguousError(UserFacingError):
    code = "events.when_ambiguous"


class WhenWithoutTimeError(UserFacingError):
    code = "events.when_no_time"


class WhenInPastError(UserFacingError):
    code = "events.when_past"


class EndBeforeStartError(UserFacingError):
    code = "events.end_before_start"


class SignupAfterStartError(UserFacingError):
    code = "events.signup_after_start"


class UnknownTimezoneError(UserFacingError):
    code = "events.unknown_timezone"


class BadRuleError(UserFacingError):
    code = "events.rule_invalid"


class RuleTooFrequentError(UserFacingError):
    code = "events.rule_too_frequent"


class CreateNotAllowedError(UserFacingError):
    code = "events.create_moderators_only"


class NotHostError(UserFacingError):
    code = "events.not_host"


class PointsTooHighError(UserFacingError):
    code = "events.points_too_high"


class EventCancelledError(UserFacingError):
    code = "events.cancelled"


class EventStartedError(UserFacingError):
    code = "events.started"


class SignupClosedError(UserFacingError):
    code = "events.signup_closed"


class CapacityBelowGoingError(UserFacingError):
    code = "events.capacity_below_going"


class NotStartedError(UserFacingError):
    code = "events.not_started"


class CheckinClosedError(UserFacingError):
    code = "events.checkin_closed"


class NotGoingError(UserFacingError):
    code = "events.not_going"


class BadEventIdError(UserFacingError):
    code = "events.bad_id"
