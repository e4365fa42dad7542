"""What governance needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.proposals.model import (
    Choice,
    NewProposal,
    Outcome,
    Proposal,
    ProposalId,
    ProposalType,
    Status,
    Tally,
    Transition,
    VoteRecord,
)


class ProposalRepository(Protocol):
    """Proposals, votes (one row per member and proposal) and their history."""

    async def add(self, new: NewProposal, title_key: str) -> Proposal: ...

    async def get(self, community_id: CommunityId, proposal_id: ProposalId) -> Proposal | None: ...

    async def lock(self, community_id: CommunityId, proposal_id: ProposalId) -> Proposal | None:
        """Read the proposal and hold its row until commit, so votes and closing queue up."""
        ...

    async def lock_author(self, member_id: MemberId) -> None:
        """Serialise one member's proposal creations (the open-proposal limit)."""
        ...

    async def open_count(self, author_id: MemberId) -> int: ...

    async def similar_active(
        self, community_id: CommunityId, title_key: str, exclude: ProposalId
    ) -> list[Proposal]: ...

    async def cast(
        self,
        proposal_id: ProposalId,
        member_id: MemberId,
        choice: Choice,
        weight: int,
        now: datetime,
    ) -> tuple[bool, Choice | None]:
        """Insert or change the member's vote; (first vote ever?, previous choice)."""
        ...

    async def retract(
        self, proposal_id: ProposalId, member_id: MemberId, now: datetime
    ) -> Choice | None:
        """Clear the member's choice; the choice it had (None: there was none)."""
        ...

    async def vote_of(self, proposal_id: ProposalId, member_id: MemberId) -> VoteRecord | None: ...

    async def tally(self, proposal_id: ProposalId) -> Tally: ...

    async def votes(self, proposal_id: ProposalId) -> list[VoteRecord]: ...

    async def transition(
        self,
        proposal: Proposal,
        to_status: Status,
        *,
        at: datetime,
        outcome: Outcome | None = None,
        reason: str | None = None,
        link: str | None = None,
        quorum_needed: int | None = None,
        final: Tally | None = None,
    ) -> bool:
        """Move the status only if it is still `proposal.status`; False if someone else did."""
        ...

    async def record(self, transition: Transition) -> None: ...

    async def history(self, proposal_id: ProposalId) -> list[Transition]: ...

    async def final_tally(self, proposal_id: ProposalId) -> Tally | None: ...

    async def due(self, now: datetime, limit: int) -> list[tuple[CommunityId, ProposalId]]:
        """Active proposals whose deadline has passed, oldest deadline first."""
        ...

    async def search(
        self,
        community_id: CommunityId,
        status: Status | None,
        type_: ProposalType | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Proposal], int]:
        """A page of proposals, newest first, and how many match in all."""
        ...

    async def active_members(self, community_id: CommunityId, since: datetime) -> int:
        """Members who earned points or voted since `since` (the base of quorum shares)."""
        ...

    async def awaiting_vote(
        self, member_id: MemberId, now: datetime, limit: int
    ) -> list[Proposal]: ...


class CardEditQueue(Protocol):
    """Pending live edits of proposal cards, which live in the outbox."""

    async def supersede(self, anchor: str, payload: dict[str, object]) -> int:
        """Drop every still-pending edit of `anchor`, which `payload` (the final card) replaces."""
        ...
