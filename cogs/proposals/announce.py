"""What the community sees of a proposal: its card in the channel, the final card, results.

Everything here is queued in the outbox inside the caller's unit of work, so
a card is posted or made final exactly when the create or close that caused
it is committed, and never twice. The live edits that follow votes are the
card projection's (`projections`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cogs.proposals import cards
from domain.core.announcements import Announcement, Target
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.proposals import CardEditQueue, Closed, Proposal, ProposalsSection, Tally

CARD = "proposal.card"
"""The kind of every card announcement: posted, live edits (`projections`), final."""


def reaction_notice(
    proposal: Proposal, member_id: MemberId, payload: dict[str, Any]
) -> Announcement:
    """A DM telling a member that reactions don't vote on this anonymous proposal.

    Keyed by proposal and member: however often they react, they are told once.
    """
    return Announcement(
        community_id=proposal.community_id,
        kind="proposal.reaction_notice",
        dedupe_key=f"proposal:{proposal.id}:reaction_notice:{member_id}",
        payload=payload,
        target=Target.DM,
        member_id=member_id,
    )


async def freeze_card(
    uow: UnitOfWork, cfg: ProposalsSection, proposal: Proposal, tally: Tally
) -> None:
    """Replace every pending live edit with the final card, so none can undo it later.

    A live edit queued after this (the projection of the last votes) renders
    nothing when sent: the proposal is closed by then (`projections.live_card`).
    """
    final = cards.card(proposal, tally, cfg).to_dict()
    await uow.get(CardEditQueue).supersede(proposal.anchor, final)
    uow.announce(
        Announcement(
            community_id=proposal.community_id,
            kind=CARD,
            dedupe_key=f"proposal:{proposal.id}:card:{proposal.status}",
            payload=final,
            target=Target.EDIT,
            channel_kind="proposals",
            anchor=proposal.anchor,
        )
    )


async def publish_closed(uow: UnitOfWork, cfg: ProposalsSection, closed: Closed) -> None:
    """Freeze the card of a closed proposal and post its result in the proposals channel."""
    p = closed.proposal
    await freeze_card(uow, cfg, p, closed.tally)
    uow.announce(
        Announcement(
            community_id=p.community_id,
            kind="proposal.result",
            dedupe_key=f"proposal:{p.id}:result",
            payload=cards.result(closed, cfg).to_dict(),
            target=Target.CHANNEL,
            channel_kind="proposals",
        )
    )


def posted(proposal: Proposal, card_payload: Mapping[str, Any]) -> Announcement:
    """The announcement that posts a new proposal's card (its anchor takes reactions)."""
    return Announcement(
        community_id=proposal.community_id,
        kind=CARD,
        dedupe_key=f"proposal:{proposal.id}:posted",
        payload=card_payload,
        target=Target.CHANNEL,
        channel_kind="proposals",
        anchor=proposal.anchor,
    )


def implemented(proposal: Proposal, points: int | None) -> list[Announcement]:
    """The channel post and the author's DM when a proposal is implemented."""
    return [
        Announcement(
            community_id=proposal.community_id,
            kind="proposal.implemented",
            dedupe_key=f"proposal:{proposal.id}:implemented",
            payload=cards.implemented(proposal).to_dict(),
            target=Target.CHANNEL,
            channel_kind="proposals",
        ),
        Announcement(
            community_id=proposal.community_id,
            kind="proposal.implemented_dm",
            dedupe_key=f"proposal:{proposal.id}:implemented:dm",
            payload=cards.implemented_dm(proposal, points).to_dict(),
            target=Target.DM,
            member_id=proposal.author_id,
        ),
    ]
