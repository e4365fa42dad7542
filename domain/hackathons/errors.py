"""Refusals of the hackathons feature; the words are in `cogs/hackathons/messages.py`."""

from __future__ import annotations

from domain.core.errors import NotFoundError, UserFacingError


class HackathonNotFoundError(NotFoundError):
    """Refused when the reference is not a hackathon number, or no hackathon has it here."""

    code = "hackathons.not_found"


class BadPrizesError(UserFacingError):
    """Refused when the prize list isn't comma-separated points per place (at most ten)."""

    code = "hackathons.bad_prizes"


class DeadlinesOutOfOrderError(UserFacingError):
    """Refused when voting would end no later than submissions close."""

    code = "hackathons.deadlines_out_of_order"


class TeamSizeError(UserFacingError):
    """Refused when a new hackathon's team size is outside 1 to `MAX_TEAM` (50)."""

    code = "hackathons.team_size"


class TeamFullError(UserFacingError):
    """Refused when joining a team that already has the most members a team may have."""

    code = "hackathons.team_full"


class AlreadyInTeamError(UserFacingError):
    """Refused when a member joins a team while already in one for that hackathon."""

    code = "hackathons.already_in_team"


class NotInTeamError(UserFacingError):
    """Refused when a member leaves or submits without being in a team of that hackathon."""

    code = "hackathons.not_in_team"


class SubmissionsClosedError(UserFacingError):
    """Refused when an entry is submitted or changed after the submission deadline."""

    code = "hackathons.submissions_closed"


class VotingNotOpenError(UserFacingError):
    """Refused when a vote comes outside the voting phase or after `vote_by`."""

    code = "hackathons.voting_not_open"


class OwnTeamVoteError(UserFacingError):
    """Refused when a member votes for their own team."""

    code = "hackathons.own_team"


class AlreadyVotedError(UserFacingError):
    """Refused when a member votes a second time in the same hackathon."""

    code = "hackathons.already_voted"


class NoSuchEntryError(UserFacingError):
    """Refused when a vote names a team that has no entry in the hackathon."""

    code = "hackathons.no_entry"


class BadLinkError(UserFacingError):
    """Refused when an entry's link is not an http(s) web address."""

    code = "hackathons.bad_link"
