"""Proposal values: what was proposed, how it stands, and how votes add up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NewType

from domain.core.ids import CommunityId, MemberId

ProposalId = NewType("ProposalId", int)


class ProposalType(StrEnum):
    """What a proposal is about; each type has its own default rules."""

    FEATURE = "feature"
    IMPROVEMENT = "improvement"
    POLICY = "policy"
    CONTENT = "content"


class Status(StrEnum):
    """Where a proposal is in its life: active → approved/rejected → implemented."""

    ACTIVE = "active"
    APPROVED = "approved"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self is Status.ACTIVE


class Choice(StrEnum):
    """A vote."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class Outcome(StrEnum):
    """Why a proposal closed the way it did (stored; words live in the cog)."""

    PASSED = "passed"  # quorum met and approval threshold reached
    QUORUM_NOT_MET = "quorum_not_met"
    THRESHOLD_NOT_MET = "threshold_not_met"
    REJECTED_BY_MODERATOR = "rejected_by_moderator"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A stored proposal. Final tallies are filled in when it closes."""

    id: ProposalId
    community_id: CommunityId
    author_id: MemberId
    author_name: str
    type: ProposalType
    title: str
    description: str
    anonymous: bool
    hidden: bool
    status: Status
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    reason: str | None = None
    link: str | None = None
    quorum_needed: int | None = None

    @property
    def anchor(self) -> str:
        """The anchor of its cards: reactions and live edits find it by this."""
        return card_anchor(self.id)

    def accepts_votes(self, now: datetime) -> bool:
        return self.status is Status.ACTIVE and now < self.closes_at

    def tally_visible(self) -> bool:
        """Hidden tallies stay hidden from everyone, moderators included, until close."""
        return not self.hidden or self.status is not Status.ACTIVE


@dataclass(frozen=True, slots=True)
class Tally:
    """Weighted sums per choice and the number of members who voted."""

    for_weight: int = 0
    against_weight: int = 0
    abstain_weight: int = 0
    voters: int = 0
    weighted: bool = False  # some vote weighed more than 1

    @property
    def decisive(self) -> int:
        return self.for_weight + self.against_weight


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of applying a type's rules to a tally."""

    approved: bool
    outcome: Outcome
    quorum_needed: int


@dataclass(frozen=True, slots=True)
class Transition:
    """One recorded change of status: who (None: the deadline), when and why."""

    proposal_id: ProposalId
    from_status: Status | None
    to_status: Status
    actor_id: MemberId | None
    at: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class VoteRecord:
    """One member's current vote (choice None: retracted)."""

    proposal_id: ProposalId
    member_id: MemberId
    member_name: str
    choice: Choice | None
    weight: int
    voted_at: datetime


@dataclass(frozen=True, slots=True)
class NewProposal:
    """A proposal as its author submits it, before it has an id."""

    community_id: CommunityId
    author_id: MemberId
    type: ProposalType
    title: str
    description: str
    anonymous: bool
    hidden: bool
    created_at: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class Created:
    """A new proposal and the active ones whose title looks the same."""

    proposal: Proposal
    similar: tuple[Proposal, ...]


@dataclass(frozen=True, slots=True)
class VoteResult:
    """What a vote (or retraction) did; `previous` is the choice it replaced."""

    proposal: Proposal
    choice: Choice | None
    previous: Choice | None
    tally: Tally
    first_vote: bool
    points: int | None = None  # awarded for this vote (None: nothing awarded)


@dataclass(frozen=True, slots=True)
class Closed:
    """A proposal that just closed, with its final tally and decision."""

    proposal: Proposal
    tally: Tally
    decision: Decision


def card_anchor(proposal_id: int) -> str:
    """The anchor of a proposal's cards, by number (`Proposal.anchor`)."""
    return f"proposal:{proposal_id}"
