"""Refusals of quests."""

from domain.core.errors import UserFacingError


class QuestNotFoundError(UserFacingError):
    """No quest with that id in this community (params: quest_id)."""

    code = "quests.not_found"


class QuestNotOpenError(UserFacingError):
    """The quest has not started or has ended (params: title)."""

    code = "quests.not_open"


class QuestNotManualError(UserFacingError):
    """Proof is only for manual quests; the others count by themselves (params: title, goal)."""

    code = "quests.not_manual"


class QuestAlreadyCompletedError(UserFacingError):
    """The member already completed this quest for this period (params: title)."""

    code = "quests.already_completed"


class SubmissionPendingError(UserFacingError):
    """A submission of the member for this quest awaits review (params: title, submission_id)."""

    code = "quests.submission_pending"


class SubmissionNotFoundError(UserFacingError):
    """No submission with that id in this community (params: submission_id)."""

    code = "quests.submission_not_found"


class SubmissionAlreadyReviewedError(UserFacingError):
    """The submission was already approved or rejected (params: submission_id, status)."""

    code = "quests.submission_reviewed"


class QuestScheduleError(UserFacingError):
    """Start and end of a new quest do not make sense (params: problem)."""

    code = "quests.schedule"


class QuestDateError(UserFacingError):
    """A start or end that is neither a date nor a duration (params: option, value)."""

    code = "quests.date"


class QuestDateRangeError(UserFacingError):
    """A start or end day too far from today (params: option, value, first, last)."""

    code = "quests.date_range"


class ManualTargetError(UserFacingError):
    """A manual quest with a target other than 1 (params: target).

    One approved proof completes a manual quest; a target of 5 would be silently
    ignored, so it is refused instead.
    """

    code = "quests.manual_target"
