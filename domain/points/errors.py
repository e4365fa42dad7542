"""Refusals of the points ledger."""

from domain.core.errors import MemberLockedError, UserFacingError
from domain.core.ids import MemberId
from domain.identity.model import Member


class InsufficientPointsError(UserFacingError):
    """The balance is smaller than the amount asked for (params: balance, amount)."""

    code = "points.insufficient"


class GiftToSelfError(UserFacingError):
    """Points cannot be given to oneself."""

    code = "points.gift_self"


class NonPositiveAmountError(UserFacingError):
    """Amounts are whole numbers above zero (params: amount)."""

    code = "points.amount_not_positive"


class GiftTooLargeError(UserFacingError):
    """One gift may not exceed the configured maximum (params: amount, maximum)."""

    code = "points.gift_too_large"


class GiftQuotaError(UserFacingError):
    """The giver reached the daily giving quota (params: quota, given, left, resets_in)."""

    code = "points.gift_quota"


class SelfDealingError(UserFacingError):
    """A moderator tried to award, revoke, lock or unlock themselves."""

    code = "points.self_dealing"


class ReasonRequiredError(UserFacingError):
    """Moderator actions need a reason for the record."""

    code = "points.reason_required"


class RevokeTooLargeError(UserFacingError):
    """A revoke larger than the balance (params: name, balance, amount)."""

    code = "points.revoke_too_large"


class NotLockedError(UserFacingError):
    """Unlocking a member who is not locked (params: name)."""

    code = "points.not_locked"


class AlreadyLockedError(UserFacingError):
    """Locking a member who is already locked (params: name, reason)."""

    code = "points.already_locked"


class HistoryPageError(UserFacingError):
    """A history page past the last one (params: page, pages)."""

    code = "points.history_page"


class YouAreLockedError(MemberLockedError):
    """The acting member is the locked one: told "you", not their own name (params: reason)."""

    code = "points.locked_you"


def locked(member: Member, actor_id: MemberId | None) -> MemberLockedError:
    """The refusal for a locked member: "you" when they are the one acting.

    A member reading "**ana** is locked" about themselves would wonder who
    ana is to them; the moderator's view keeps the name.
    """
    if actor_id == member.id:
        return YouAreLockedError(reason=member.locked_reason)
    return MemberLockedError(name=member.display_name, reason=member.locked_reason)
