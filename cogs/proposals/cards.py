"""Reply builders: the proposal card, details, lists and results.

Nothing here names a voter: cards, results and details show tallies (when
visible) and counts; only the export shows who voted, and only for
proposals that are not anonymous.
"""

from __future__ import annotations

from datetime import datetime

from cogs.kit import Button, ButtonStyle, Field, Reply, Tone
from cogs.kit.format import progress_bar
from cogs.kit.messages import count, text
from domain.proposals import (
    Choice,
    Closed,
    Outcome,
    Proposal,
    ProposalsSection,
    Status,
    Tally,
    VoteRecord,
)

_TONE = {
    Status.ACTIVE: Tone.INFO,
    Status.APPROVED: Tone.SUCCESS,
    Status.IMPLEMENTED: Tone.SUCCESS,
    Status.REJECTED: Tone.WARNING,
    Status.WITHDRAWN: Tone.WARNING,
}


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def tally_text(proposal: Proposal, tally: Tally) -> str:
    """Return the tally line, or why it is hidden."""
    voters = count("proposals.voters", tally.voters)
    if not proposal.tally_visible():
        return text("proposals.tally.hidden", voters=voters)
    shown = text(
        "proposals.tally.visible",
        for_=tally.for_weight,
        against=tally.against_weight,
        abstain=tally.abstain_weight,
        voters=voters,
    )
    return shown + (text("proposals.tally.weighted") if tally.weighted else "")


def outcome_text(proposal: Proposal, tally: Tally, config: ProposalsSection) -> str | None:
    """Return how a closed proposal ended, with its quorum and threshold, if it has."""
    if proposal.outcome is None:
        return None
    approval = text(f"proposals.approval.{config.rules(proposal.type).approval}")
    words = text(
        f"proposals.outcome.{proposal.outcome}",
        voters=tally.voters,
        needed=proposal.quorum_needed if proposal.quorum_needed is not None else "?",
        approval=approval,
    )
    if proposal.reason:
        words += f" “{proposal.reason}”"
    return words


def vote_buttons(proposal: Proposal) -> tuple[Button, ...]:
    """Return the For / Against / Abstain buttons of an active proposal's card."""
    base = f"proposal.vote:{proposal.id}"
    return (
        Button(text("proposals.button.for"), f"{base}:for", ButtonStyle.SUCCESS, emoji="👍"),
        Button(text("proposals.button.against"), f"{base}:against", ButtonStyle.DANGER, emoji="👎"),
        Button(
            text("proposals.button.abstain"), f"{base}:abstain", ButtonStyle.SECONDARY, emoji="🤷"
        ),
    )


def card(proposal: Proposal, tally: Tally, config: ProposalsSection) -> Reply:
    """The public card: posted at creation, edited live, frozen at close.

    It depends only on stored state (no "time left"), so the edit sent at the
    end of a throttle period is exactly what the last vote saw.
    """
    fields = [
        Field(text("proposals.field.type"), text(f"proposals.type.{proposal.type}")),
        Field(text("proposals.field.author"), proposal.author_name),
        Field(text("proposals.field.status"), text(f"proposals.status.{proposal.status}")),
        Field(
            text(
                "proposals.field.deadline"
                if proposal.status is Status.ACTIVE
                else "proposals.field.closed"
            ),
            _when(proposal.closes_at if proposal.closed_at is None else proposal.closed_at),
        ),
        Field(text("proposals.field.tally"), tally_text(proposal, tally), inline=False),
    ]
    outcome = outcome_text(proposal, tally, config)
    if outcome:
        fields.append(Field(text("proposals.field.outcome"), outcome, inline=False))
    if proposal.link:
        fields.append(Field(text("proposals.field.link"), proposal.link, inline=False))
    # Reactions show everyone who reacted: on an anonymous proposal they are no vote.
    vote_words = (
        "proposals.card.footer_anonymous" if proposal.anonymous else "proposals.card.footer"
    )
    footer = [text(vote_words, id=proposal.id)] if proposal.status.is_open else []
    if proposal.anonymous:
        footer.append(text("proposals.anonymous"))
    return Reply(
        title=f"#{proposal.id} · {proposal.title}",
        text=proposal.description,
        fields=tuple(fields),
        buttons=vote_buttons(proposal) if proposal.status.is_open else (),
        footer="\n".join(footer) or None,
        tone=_TONE[proposal.status],
        anchor=proposal.anchor,
        ephemeral=False,
    )


def details(
    proposal: Proposal,
    tally: Tally,
    mine: VoteRecord | None,
    quorum: int,
    history: list[tuple[str, str]],
    config: ProposalsSection,
    now: datetime,
) -> Reply:
    """`/proposal show`: the card plus your vote, quorum progress, time left and history."""
    base = card(proposal, tally, config)
    if proposal.status is Status.ACTIVE:
        left = proposal.closes_at - now
        timing = (
            text("proposals.closes_in", wait=left)
            if left.total_seconds() > 0
            else text("proposals.closing_now")
        )
    else:
        timing = text("proposals.closed")
    fraction = tally.voters / quorum if quorum else 1.0
    if not quorum:
        quorum_line = text("proposals.quorum_none")
    elif tally.voters >= quorum:
        quorum_line = text(
            "proposals.quorum_met",
            bar=progress_bar(1.0),
            voters=count("proposals.voters", tally.voters),
            needed=quorum,
        )
    else:
        quorum_line = text(
            "proposals.quorum_progress",
            bar=progress_bar(fraction),
            have=tally.voters,
            needed=count("proposals.voters", quorum),
        )
    my_choice = mine.choice if mine is not None else None
    no_vote = text(
        "proposals.no_vote_yet" if proposal.status is Status.ACTIVE else "proposals.did_not_vote"
    )
    fields = [
        *base.fields,
        Field(text("proposals.field.time_left"), timing),
        Field(text("proposals.field.quorum"), quorum_line),
        Field(text("proposals.field.your_vote"), str(my_choice) if my_choice else no_vote),
    ]
    if history:
        fields.append(
            Field(
                text("proposals.field.history"),
                "\n".join(f"{when} — {what}" for when, what in history),
                inline=False,
            )
        )
    # The anchor stays: the console lets a member /react to the card they last saw,
    # this private one included (platforms take no reaction on an ephemeral message).
    return base.with_(fields=tuple(fields), ephemeral=True)


def result(closed: Closed, config: ProposalsSection) -> Reply:
    """The results post in the proposals channel when a proposal closes."""
    p = closed.proposal
    status_word = text(
        "proposals.result_approved" if p.status is Status.APPROVED else "proposals.result_rejected"
    )
    outcome = outcome_text(p, closed.tally, config) or ""
    return Reply(
        title=text("proposals.result_title", id=p.id, status_word=status_word, title=p.title),
        text=outcome,
        fields=(Field(text("proposals.field.tally"), tally_text(p, closed.tally), inline=False),),
        tone=Tone.SUCCESS if p.status is Status.APPROVED else Tone.WARNING,
        ephemeral=False,
    )


def vote_reply(
    proposal: Proposal, choice: Choice | None, previous: Choice | None, points: int | None
) -> Reply:
    """Answer a vote: what changed, and the points it earned."""
    if choice is None:
        words = text("proposals.retracted", id=proposal.id, previous=previous)
    elif previous is None:
        words = text("proposals.voted", id=proposal.id, choice=choice)
    elif previous is choice:
        words = text("proposals.vote_same", id=proposal.id, choice=choice)
    else:
        words = text("proposals.vote_changed", id=proposal.id, choice=choice, previous=previous)
    if points:
        words += text("proposals.vote_points", points=points)
    return Reply(text=words, tone=Tone.SUCCESS, ephemeral=True)


def listing(proposals: list[Proposal], page: int, pages: int, now: datetime, action: str) -> Reply:
    """Return one page of the proposal list with its paging buttons."""
    if not proposals:
        return Reply(text=text("proposals.list_empty"), ephemeral=True)
    lines = []
    for p in proposals:
        if p.status is Status.ACTIVE:
            left = p.closes_at - now
            when = (
                text("proposals.closes_in", wait=left)
                if left.total_seconds() > 0
                else text("proposals.closing")
            )
        else:
            when = text(f"proposals.status.{p.status}")
        lines.append(text("proposals.list_line", id=p.id, title=p.title, type=p.type, when=when))
    buttons = []
    if page > 1:
        buttons.append(Button(text("proposals.list_previous"), f"{action}:{page - 1}"))
    if page < pages:
        buttons.append(Button(text("proposals.list_next"), f"{action}:{page + 1}"))
    return Reply(
        title=text("proposals.list_title"),
        text="\n".join(lines),
        buttons=tuple(buttons),
        footer=text("proposals.list_footer", page=page, pages=pages),
        ephemeral=True,
    )


def implemented(proposal: Proposal) -> Reply:
    """Announce in the channel that a proposal was implemented."""
    fields = _link(proposal)
    return Reply(
        title=text("proposals.implemented_title", id=proposal.id, title=proposal.title),
        text=text("proposals.proposed_by", author=proposal.author_name),
        fields=fields,
        tone=Tone.SUCCESS,
        ephemeral=False,
    )


def implemented_dm(proposal: Proposal, points: int | None) -> Reply:
    """Tell the author their proposal was implemented, and what it earned them."""
    extra = text("proposals.implemented_points", points=points) if points else ""
    return Reply(
        text=text("proposals.implemented_dm", id=proposal.id, title=proposal.title, points=extra),
        fields=_link(proposal),
        tone=Tone.SUCCESS,
    )


def _link(proposal: Proposal) -> tuple[Field, ...]:
    return (
        (Field(text("proposals.field.link"), proposal.link, inline=False),) if proposal.link else ()
    )


OUTCOME_LABEL = {o: o.value.replace("_", " ") for o in Outcome}
