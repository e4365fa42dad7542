"""Refusals of the mentoring feature; words in `cogs/mentoring/messages.py`."""

from __future__ import annotations

from domain.core.errors import UserFacingError


class NotAMentorError(UserFacingError):
    code = "mentoring.not_a_mentor"


class MayNotMentorError(UserFacingError):
    code = "mentoring.may_not_mentor"


class MentorUnavailableError(UserFacingError):
    code = "mentoring.unavailable"


class MentorFullError(UserFacingError):
    code = "mentoring.full"


class SelfMentoringError(UserFacingError):
    code = "mentoring.self"


class UnknownSessionTypeError(UserFacingError):
    code = "mentoring.unknown_type"


class SessionNotFoundError(UserFacingError):
    code = "mentoring.session_not_found"


class NotYourSessionError(UserFacingError):
    code = "mentoring.not_yours"


class WrongSessionStateError(UserFacingError):
    code = "mentoring.wrong_state"


class AlreadyRatedError(UserFacingError):
    code = "mentoring.already_rated"


class CapacityBelowActiveError(UserFacingError):
    code = "mentoring.capacity_below_active"


class BadAvailabilityError(UserFacingError):
    code = "mentoring.bad_availability"


class DuplicateRequestError(UserFacingError):
    code = "mentoring.duplicate_request"
