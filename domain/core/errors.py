"""Refusals written for members.

A domain rule that says no raises a `UserFacingError` subclass. It carries a
stable `code` and the parameters of its message; the words themselves live in
the message catalogue (`cogs.kit.messages`) so they are written in one place
and every code is checked to have one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class UserFacingError(Exception):
    """A refusal whose message is meant for the member who asked."""

    code: ClassVar[str] = "error.generic"

    def __init__(self, **params: Any) -> None:
        super().__init__(self.code)
        self.params: dict[str, Any] = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params!r})"


class InvalidInputError(UserFacingError):
    """An option value that breaks its declared limits."""

    code = "input.invalid"


class PermissionDeniedError(UserFacingError):
    """A member command reserved for moderators."""

    code = "permission.moderator_only"


class MemberLockedError(UserFacingError):
    """A locked member tried to earn or spend."""

    code = "member.locked"


class NotFoundError(UserFacingError):
    """Something the member named does not exist in this community."""

    code = "not_found"


class AlreadyAppliedError(UserFacingError):
    """The same operation (same idempotency key) arrived twice."""

    code = "operation.duplicate"
