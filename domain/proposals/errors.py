"""Refusals of governance; words in `cogs/proposals/messages.py`."""

from domain.core.errors import UserFacingError


class ProposalNotFoundError(UserFacingError):
    """No proposal with that id in this community (params: id)."""

    code = "proposals.not_found"


class VotingClosedError(UserFacingError):
    """A vote arrived after the deadline or after the proposal closed (params: id, status)."""

    code = "proposals.voting_closed"


class NotActiveError(UserFacingError):
    """The proposal is no longer active (params: id, status)."""

    code = "proposals.not_active"


class NotApprovedError(UserFacingError):
    """Only an approved proposal can be marked implemented (params: id, status)."""

    code = "proposals.not_approved"


class NotAuthorError(UserFacingError):
    """Only the author may withdraw (params: id)."""

    code = "proposals.not_author"


class OwnProposalError(UserFacingError):
    """A moderator approving early or implementing their own proposal (params: id).

    Both pay the author, so like `/admin award` on oneself it needs another moderator.
    """

    code = "proposals.own_proposal"


class TooManyOpenError(UserFacingError):
    """The member already has the maximum of active proposals (params: limit, open)."""

    code = "proposals.too_many_open"


class TierTooLowError(UserFacingError):
    """The member's tier is below the configured minimum (params: action, needed, tier)."""

    code = "proposals.tier_too_low"


class TooNewError(UserFacingError):
    """The member joined too recently (params: action, days, wait)."""

    code = "proposals.too_new"


class NoVoteError(UserFacingError):
    """A retraction with no vote to retract (params: id)."""

    code = "proposals.no_vote"
