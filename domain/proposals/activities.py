"""What governance records: proposals made, votes cast, decisions; and their counters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

VOTES_CAST = counter("votes_cast", "votes cast")
PROPOSALS_CREATED = counter("proposals_created", "proposals made")
PROPOSALS_APPROVED = counter("proposals_approved", "proposals approved")


@activity("proposal_created", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class ProposalCreated(Activity):
    """The member opened a proposal of `proposal_type`."""

    proposal_id: int
    proposal_type: str = ""

    def counters(self) -> Mapping[str, int]:
        return {PROPOSALS_CREATED: 1}


@activity("vote_cast", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class VoteCast(Activity):
    """The member voted on a proposal for the first time (never the choice: votes may be secret)."""

    proposal_id: int

    def counters(self) -> Mapping[str, int]:
        return {VOTES_CAST: 1}


@activity("vote_changed", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class VoteChanged(Activity):
    """The member changed or withdrew their vote (never the choice: votes may be secret).

    Counts for nothing; it tells the card projection that the tally moved, as
    `VoteCast` does for a first vote, so a card follows every change.
    """

    proposal_id: int


@activity("proposal_approved", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class ProposalApproved(Activity):
    """The member's proposal was approved."""

    proposal_id: int

    def counters(self) -> Mapping[str, int]:
        return {PROPOSALS_APPROVED: 1}


@activity("proposal_implemented", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class ProposalImplemented(Activity):
    """The member's approved proposal was implemented."""

    proposal_id: int
