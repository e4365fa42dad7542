"""Friendly refusals of the AI mentor; words in `cogs/mentor_ai/messages.py`."""

from __future__ import annotations

from domain.core.errors import UserFacingError


class MentorNotSetUpError(UserFacingError):
    """No model is configured (or it refused our key): point the member to people."""

    code = "mentor_ai.not_set_up"


class MentorBusyError(UserFacingError):
    """The model kept failing through every retry, or answered unusably."""

    code = "mentor_ai.try_again"


class MemberCapError(UserFacingError):
    """The member used today's token allowance."""

    code = "mentor_ai.member_cap"


class CommunityCapError(UserFacingError):
    """The community used this month's AI budget."""

    code = "mentor_ai.community_cap"


class QuestionTooLongError(UserFacingError):
    """The question is longer than `max_question_chars`."""

    code = "mentor_ai.too_long"


class MentorStillAnsweringError(UserFacingError):
    """The same question arrived twice and the first answer is not ready yet."""

    code = "mentor_ai.in_progress"
