"""Refusals of the mentoring feature; words in `cogs/mentoring/messages.py`."""

from __future__ import annotations

from domain.core.errors import UserFacingError


class NotAMentorError(UserFacingError):
    """The member named has no mentor profile."""

    code = "mentoring.not_a_mentor"


class MayNotMentorError(UserFacingError):
    """The community's rule (a minimum tier) does not let the member mentor yet."""

    code = "mentoring.may_not_mentor"


class MentorUnavailableError(UserFacingError):
    """The mentor is paused or not (yet) approved."""

    code = "mentoring.unavailable"


class MentorFullError(UserFacingError):
    """Every slot of the mentor is taken (decided by the database on accept)."""

    code = "mentoring.full"


class SelfMentoringError(UserFacingError):
    """A member asked themself for a session."""

    code = "mentoring.self"


class UnknownSessionTypeError(UserFacingError):
    """A session type that is not in config (or the mentor does not offer)."""

    code = "mentoring.unknown_type"


class SessionNotFoundError(UserFacingError):
    """No session with that number in this community."""

    code = "mentoring.session_not_found"


class NotYourSessionError(UserFacingError):
    """The member is not the side of the session that may do this."""

    code = "mentoring.not_yours"


class WrongSessionStateError(UserFacingError):
    """The session is no longer in a status that allows this."""

    code = "mentoring.wrong_state"


class AlreadyRatedError(UserFacingError):
    """The session has its one rating already."""

    code = "mentoring.already_rated"


class CapacityBelowActiveError(UserFacingError):
    """Capacity would drop below the sessions already scheduled."""

    code = "mentoring.capacity_below_active"


class BadAvailabilityError(UserFacingError):
    """Availability text that is not "Day[-Day] HH:MM-HH:MM"."""

    code = "mentoring.bad_availability"


class DuplicateRequestError(UserFacingError):
    """The mentee already has an open session with this mentor."""

    code = "mentoring.duplicate_request"


class NotRatedYetError(UserFacingError):
    """A comment on a session its mentee has not rated yet."""

    code = "mentoring.not_rated_yet"


class AlreadyCommentedError(UserFacingError):
    """The session's rating already has a comment (one per session)."""

    code = "mentoring.already_commented"
