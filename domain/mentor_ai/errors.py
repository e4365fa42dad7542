"""Friendly refusals of the AI mentor; words in `cogs/mentor_ai/messages.py`."""

from __future__ import annotations

from domain.core.errors import UserFacingError


class MentorNotSetUpError(UserFacingError):
    code = "mentor_ai.not_set_up"


class MentorBusyError(UserFacingError):
    code = "mentor_ai.try_again"


class MemberCapError(UserFacingError):
    code = "mentor_ai.member_cap"


class CommunityCapError(UserFacingError):
    code = "mentor_ai.community_cap"


class QuestionTooLongError(UserFacingError):
    code = "mentor_ai.too_long"
