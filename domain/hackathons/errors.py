"""Refusals of the hackathons feature; the words are in `cogs/hackathons/messages.py`."""

from __future__ import annotations

from domain.core.errors import NotFoundError, UserFacingError


class HackathonNotFoundError(NotFoundError):
    code = "hackathons.not_found"


class BadPrizesError(UserFacingError):
    code = "hackathons.bad_prizes"


class DeadlinesOutOfOrderError(UserFacingError):
    code = "hackathons.deadlines_out_of_order"


class TeamSizeError(UserFacingError):
    code = "hackathons.team_size"


class TeamFullError(UserFacingError):
    code = "hackathons.team_full"


class AlreadyInTeamError(UserFacingError):
    code = "hackathons.already_in_team"


class NotInTeamError(UserFacingError):
    code = "hackathons.not_in_team"


class SubmissionsClosedError(UserFacingError):
    code = "hackathons.submissions_closed"


class VotingNotOpenError(UserFacingError):
    code = "hackathons.voting_not_open"


class OwnTeamVoteError(UserFacingError):
    code = "hackathons.own_team"


class AlreadyVotedError(UserFacingError):
    code = "hackathons.already_voted"


class NoSuchEntryError(UserFacingError):
    code = "hackathons.no_entry"


class BadLinkError(UserFacingError):
    code = "hackathons.bad_link"
