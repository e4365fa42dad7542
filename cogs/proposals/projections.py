"""The card projection: a proposal's live card follows its votes, rendered when sent.

A vote used to render the card and queue its edit inside its own transaction:
two statements and a render per vote (a third of a vote's time), while a
burst of votes on one proposal yields one edit per throttle period anyway.
Votes now only log `VoteCast`/`VoteChanged`. This projection makes sure each
proposal a batch moved has a live edit queued for the current period (one
multi-row insert per batch, reading nothing), and `live_card` renders it from
the tally as it is when the deliverer sends it: one render per proposal per
period, whatever the number of votes, and never older than the last vote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cogs.proposals import cards
from cogs.proposals.announce import CARD
from domain.core.activity import Activity
from domain.core.announcements import LIVE, Announcement, OutboxRepository, Target, live
from domain.core.clock import Clock
from domain.core.config import CommunityConfig
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.proposals import ProposalRepository, ProposalsSection
from domain.proposals.activities import VoteCast, VoteChanged
from domain.proposals.model import ProposalId, card_anchor
from domain.proposals.rules import edit_bucket


class CardProjection:
    """Queue one live edit per proposal a batch's votes moved, for the current period."""

    name = "proposals.cards"
    kinds = (VoteCast.kind, VoteChanged.kind)

    def __init__(self, clock: Clock, config: ProposalsSection) -> None:
        self._clock = clock
        self._config = config

    async def apply(self, uow: UnitOfWork, batch: Sequence[Activity]) -> None:
        """One insert for the batch; a period's edit already queued is kept (same key).

        The period is the projection's, not the vote's: an edit is only ever
        queued for a period that has not ended, so it is still pending (not
        sent) whenever a later vote of that period needs it.
        """
        moved: dict[int, CommunityId] = {}
        for item in batch:
            if isinstance(item, VoteCast | VoteChanged):
                moved[item.proposal_id] = item.community_id
        if not moved:
            return
        now = self._clock.now()
        bucket, ends = edit_bucket(now, self._config.card_update_seconds)
        edits = [
            Announcement(
                community_id=community_id,
                kind=CARD,
                dedupe_key=f"proposal:{proposal_id}:card:{bucket}",
                payload={LIVE: True, "community_id": community_id, "proposal_id": proposal_id},
                target=Target.EDIT,
                channel_kind="proposals",
                anchor=card_anchor(proposal_id),
                not_before=ends,
            )
            for proposal_id, community_id in sorted(moved.items())
        ]
        await uow.get(OutboxRepository).add(edits, now)


@live(CARD)
async def live_card(
    uow: UnitOfWork, config: CommunityConfig, payload: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The card as it is now; None once the proposal closed (its final card is posted)."""
    repo = uow.get(ProposalRepository)
    proposal = await repo.get(
        CommunityId(payload["community_id"]), ProposalId(payload["proposal_id"])
    )
    if proposal is None or not proposal.status.is_open:
        return None
    tally = await repo.tally(proposal.id)
    return cards.card(proposal, tally, config.proposals).to_dict()
