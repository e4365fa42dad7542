"""Refusals of the events feature; the words are in `cogs/events/messages.py`."""

from __future__ import annotations

from domain.core.errors import NotFoundError, UserFacingError


class EventNotFoundError(NotFoundError):
    """Refused when no event (or series date) in the community has the number given."""

    code = "events.not_found"


class WhenUnclearError(UserFacingError):
    """Refused when a start or end time can't be read as a date and time at all."""

    code = "events.when_unclear"


class WhenAmbiguousError(UserFacingError):
    """Refused when a date reads two ways (day/month or month/day) and both are valid."""

    code = "events.when_ambiguous"


class WhenWithoutTimeError(UserFacingError):
    """Refused when a start or end names a day but no time of day."""

    code = "events.when_no_time"


class WhenInPastError(UserFacingError):
    """Refused when the start given has already passed: events start in the future."""

    code = "events.when_past"


class EndBeforeStartError(UserFacingError):
    """Refused when an event's end is not after its start."""

    code = "events.end_before_start"


class SignupAfterStartError(UserFacingError):
    """Refused when sign-up would close at or after the event's start."""

    code = "events.signup_after_start"


class UnknownTimezoneError(UserFacingError):
    """Refused when a time zone is not a known IANA name."""

    code = "events.unknown_timezone"


class BadRuleError(UserFacingError):
    """Refused when a repeat is neither a named preset nor a usable RRULE."""

    code = "events.rule_invalid"


class RuleTooFrequentError(UserFacingError):
    """Refused when a repeat rule recurs more often than once an hour."""

    code = "events.rule_too_frequent"


class CreateNotAllowedError(UserFacingError):
    """Refused when a non-moderator creates an event where `events.who_can_create` forbids it."""

    code = "events.create_moderators_only"


class NotHostError(UserFacingError):
    """Refused when someone other than the host or a moderator changes an event."""

    code = "events.not_host"


class PointsTooHighError(UserFacingError):
    """Refused when an event would pay more attendance points than `events.max_points`."""

    code = "events.points_too_high"


class EventCancelledError(UserFacingError):
    """Refused when answering, changing or checking in to a cancelled event or series."""

    code = "events.cancelled"


class EventStartedError(UserFacingError):
    """Refused when answering an event that has already started: RSVPs close at the start."""

    code = "events.started"


class SignupClosedError(UserFacingError):
    """Refused when someone says going or maybe after sign-up closed; saying no is still allowed."""

    code = "events.signup_closed"


class CapacityBelowGoingError(UserFacingError):
    """Refused when a new capacity is below the number of members already going."""

    code = "events.capacity_below_going"


class NotStartedError(UserFacingError):
    """Refused when attendance is marked before the event has started."""

    code = "events.not_started"


class CheckinClosedError(UserFacingError):
    """Refused when a member checks in outside the event's check-in window."""

    code = "events.checkin_closed"


class NotGoingError(UserFacingError):
    """Refused when a member who isn't going to the event tries to check in."""

    code = "events.not_going"


class BadEventIdError(UserFacingError):
    """Refused when an event number is not of the form "3", or "3.2" for a series date."""

    code = "events.bad_id"


class NothingToEditError(UserFacingError):
    """Refused when `/event edit` names no new title, place or description."""

    code = "events.nothing_to_edit"


class EventGoneError(NotFoundError):
    """Refused when a button names a date this community does not have (any more)."""

    code = "events.gone"
