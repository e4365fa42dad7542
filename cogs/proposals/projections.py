"""The card projection: a proposal's live card follows its votes, once per batch.

A vote used to render the card and queue its edit inside its own transaction:
two statements and a render per vote (a third of a vote's time), while a
burst of votes on one proposal yields one edit per throttle period anyway.
Votes now only log `VoteCast`/`VoteChanged`; this projection renders each
proposal a batch touches once, from the tally as it is when applied.
"""

from __future__ import annotations

from collections.abc import Sequence

from cogs.proposals.announce import refresh_card
from domain.core.activity import Activity
from domain.core.clock import Clock
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.proposals import CardEditQueue, ProposalRepository, ProposalsSection
from domain.proposals.activities import VoteCast, VoteChanged
from domain.proposals.model import ProposalId


class CardProjection:
    """Queue one live edit per proposal a batch's votes moved (none once it is closed)."""

    name = "proposals.cards"
    kinds = (VoteCast.kind, VoteChanged.kind)

    def __init__(self, clock: Clock, config: ProposalsSection) -> None:
        self._clock = clock
        self._config = config

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """Render each moved proposal with the card held, in id order (no lock cycles)."""
        moved: set[tuple[CommunityId, int]] = set()
        for item in batch:
            if isinstance(item, VoteCast | VoteChanged):
                moved.add((item.community_id, item.proposal_id))
        repo = uow.get(ProposalRepository)
        queue = uow.get(CardEditQueue)
        for community_id, proposal_id in sorted(moved, key=lambda m: m[1]):
            await queue.hold(proposal_id)
            proposal = await repo.get(community_id, ProposalId(proposal_id))
            if proposal is None or not proposal.status.is_open:
                continue  # closed: its final card is posted and must stay
            tally = await repo.tally(proposal.id)
            # The time is taken with the card held: a later holder's edit is never
            # filed under an earlier throttle period than this one's.
            await refresh_card(uow, self._config, proposal, tally, self._clock.now())
