"""Reply builders: the proposal card, details, lists and results.

Nothing here names a voter: cards, results and details show tallies (when
visible) and counts; only the export shows who voted, and only for
proposals that are not anonymous.
"""

from __future__ import annotations

from datetime import datetime

from cogs.kit import Button, ButtonStyle, Field, Reply, Tone
from cogs.kit.format import human_duration, plural, progress_bar
from cogs.kit.messages import text
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
    voters = plural(tally.voters, "voter")
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
        Button("For", f"{base}:for", ButtonStyle.SUCCESS, emoji="👍"),
        Button("Against", f"{base}:against", ButtonStyle.DANGER, emoji="👎"),
        Button("Abstain", f"{base}:abstain", ButtonStyle.SECONDARY, emoji="🤷"),
    )


def card(proposal: Proposal, tally: Tally, config: ProposalsSection) -> Reply:
    """The public card: posted at creation, edited live, frozen at close.

    It depends only on stored state (no "time left"), so the edit sent at the
    end of a throttle period is exactly what the last vote saw.
    """
    fields = [
        Field("Type", str(proposal.type).capitalize()),
        Field("Author", proposal.author_name),
        Field("Status", text(f"proposals.status.{proposal.status}")),
        Field(
            "Deadline" if proposal.status is Status.ACTIVE else "Closed",
            _when(proposal.closes_at if proposal.closed_at is None else proposal.closed_at),
        ),
        Field("Tally", tally_text(proposal, tally), inline=False),
    ]
    outcome = outcome_text(proposal, tally, config)
    if outcome:
        fields.append(Field("Outcome", outcome, inline=False))
    if proposal.link:
        fields.append(Field("Link", proposal.link, inline=False))
    footer = [text("proposals.card.footer", id=proposal.id)] if proposal.status.is_open else []
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
        timing = f"closes in {human_duration(left)}" if left.total_seconds() > 0 else "closing now"
    else:
        timing = "closed"
    fraction = tally.voters / quorum if quorum else 1.0
    if not quorum:
        quorum_line = "no quorum required"
    elif tally.voters >= quorum:
        quorum_line = f"{progress_bar(1.0)} met: {plural(tally.voters, 'voter')}, {quorum} needed"
    else:
        quorum_line = f"{progress_bar(fraction)} {tally.voters} of {plural(quorum, 'voter')} needed"
    my_choice = mine.choice if mine is not None else None
    no_vote = "none yet" if proposal.status is Status.ACTIVE else "you did not vote"
    fields = [
        *base.fields,
        Field("Time left", timing),
        Field("Quorum", quorum_line),
        Field("Your vote", str(my_choice) if my_choice else no_vote),
    ]
    if history:
        fields.append(
            Field("History", "\n".join(f"{when} — {what}" for when, what in history), inline=False)
        )
    return base.with_(fields=tuple(fields), anchor=None, ephemeral=True)


def result(closed: Closed, config: ProposalsSection) -> Reply:
    """The results post in the proposals channel when a proposal closes."""
    p = closed.proposal
    status_word = "approved" if p.status is Status.APPROVED else "rejected"
    outcome = outcome_text(p, closed.tally, config) or ""
    return Reply(
        title=text("proposals.result_title", id=p.id, status_word=status_word, title=p.title),
        text=outcome,
        fields=(Field("Tally", tally_text(p, closed.tally), inline=False),),
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
            when = f"closes in {human_duration(left)}" if left.total_seconds() > 0 else "closing"
        else:
            when = text(f"proposals.status.{p.status}")
        lines.append(f"**#{p.id}** · {p.title} — {p.type} · {when}")
    buttons = []
    if page > 1:
        buttons.append(Button("◀ Previous", f"{action}:{page - 1}"))
    if page < pages:
        buttons.append(Button("Next ▶", f"{action}:{page + 1}"))
    return Reply(
        title="Proposals",
        text="\n".join(lines),
        buttons=tuple(buttons),
        footer=f"Page {page} of {pages} · /proposal show <id> for details",
        ephemeral=True,
    )


def implemented(proposal: Proposal) -> Reply:
    """Announce in the channel that a proposal was implemented."""
    fields = (Field("Link", proposal.link, inline=False),) if proposal.link else ()
    return Reply(
        title=text("proposals.implemented_title", id=proposal.id, title=proposal.title),
        text=f"Proposed by **{proposal.author_name}**.",
        fields=fields,
        tone=Tone.SUCCESS,
        ephemeral=False,
    )


def implemented_dm(proposal: Proposal, points: int | None) -> Reply:
    """Tell the author their proposal was implemented, and what it earned them."""
    extra = text("proposals.implemented_points", points=points) if points else ""
    return Reply(
        text=text("proposals.implemented_dm", id=proposal.id, title=proposal.title, points=extra),
        fields=(Field("Link", proposal.link, inline=False),) if proposal.link else (),
        tone=Tone.SUCCESS,
    )


OUTCOME_LABEL = {o: o.value.replace("_", " ") for o in Outcome}
