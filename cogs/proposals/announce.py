"""What the community sees of a proposal: its card in the channel, live edits, results.

Everything here is queued in the outbox inside the caller's unit of work, so
a card is posted or edited exactly when the vote or close that caused it is
committed, and never twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cogs.proposals import cards
from domain.core.announcements import Announcement, OutboxRepository, Target
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.proposals import CardEditQueue, Closed, Proposal, ProposalsSection, Tally
from domain.proposals.rules import edit_bucket


async def refresh_card(
    uow: UnitOfWork, cfg: ProposalsSection, proposal: Proposal, tally: Tally, now: datetime
) -> None:
    """Queue the card's live edit: one per proposal per period, sent at the period's end.

    Called by the card projection with the card held (`CardEditQueue.hold`),
    so of two renders the later one writes last and read the newer tally.
    """
    bucket, ends = edit_bucket(now, cfg.card_update_seconds)
    key = f"proposal:{proposal.id}:card:{bucket}"
    payload = cards.card(proposal, tally, cfg).to_dict()
    added = await uow.get(OutboxRepository).add(
        [
            Announcement(
                community_id=proposal.community_id,
                kind="proposal.card",
                dedupe_key=key,
                payload=payload,
                target=Target.EDIT,
                channel_kind="proposals",
                anchor=proposal.anchor,
                not_before=ends,
            )
        ],
        now,
    )
    if not added:
        await uow.get(CardEditQueue).replace_pending(key, payload)


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

    Holding the card first, a live edit rendered concurrently (the projection
    of the last votes) is either superseded here or sees the proposal closed.
    """
    final = cards.card(proposal, tally, cfg).to_dict()
    queue = uow.get(CardEditQueue)
    await queue.hold(int(proposal.id))
    await queue.supersede(proposal.anchor, final)
    uow.announce(
        Announcement(
            community_id=proposal.community_id,
            kind="proposal.card",
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
        kind="proposal.card",
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
