"""Proposal handlers: parse, call `ProposalService`, answer with a card.

Every handler is a module-level function taking the call and its typed
options; the service and the proposals section come from the cog context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from cogs.kit import Attachment, Call, CogContext, Reply, Tone
from cogs.kit.messages import text
from cogs.proposals import announce, cards, export
from domain.core.errors import InvalidInputError
from domain.core.ids import MemberId, parse_id, parse_ref
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository
from domain.proposals import (
    Choice,
    NoVoteError,
    Proposal,
    ProposalId,
    ProposalNotFoundError,
    ProposalRepository,
    ProposalService,
    ProposalsSection,
    ProposalType,
    Status,
    Tally,
    Transition,
)

TYPES = tuple(t.value for t in ProposalType)
STATUSES = tuple(s.value for s in Status)
VOTES = (*(c.value for c in Choice), "retract")
_URL = re.compile(r"https?://\S+")


def _service(call: Call) -> ProposalService:
    return call.ctx.need(ProposalService)


def _cfg(call: Call) -> ProposalsSection:
    return call.ctx.config.proposals


def pid(raw: Any) -> ProposalId:
    """Read a proposal number ("12" or "#12") a member typed or a button carries.

    Raises:
        InvalidInputError: it is not a number.
        ProposalNotFoundError: a number no row can have (0, or beyond any id).
    """
    found = parse_ref(str(raw))
    if found is not None:
        return ProposalId(found)
    word = str(raw).strip().removeprefix("#")
    if word.isascii() and word.isdigit():  # no row has it; PostgreSQL would refuse it
        raise ProposalNotFoundError(id=word[:20])
    raise InvalidInputError(problem=text("proposals.not_a_number", given=str(raw)[:20]))


# -- members ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateOptions:
    """Options of /proposal create."""

    type: str
    title: str
    description: str
    deadline: timedelta | None
    anonymous: bool
    hidden: bool


async def create(call: Call, o: CreateOptions) -> Reply:
    """Open a proposal, post its card in the proposals channel, warn of similar ones."""
    cfg = _cfg(call)
    created = await _service(call).create(
        call.uow,
        call.community,
        call.member,
        ProposalType(o.type),
        o.title,
        o.description,
        deadline=o.deadline,
        anonymous=o.anonymous,
        hidden=o.hidden,
    )
    p = created.proposal
    reply = cards.card(p, Tally(), cfg)
    call.uow.announce(announce.posted(p, reply.to_dict()))
    if created.similar:
        similar = ", ".join(f"#{s.id} “{s.title}”" for s in created.similar[:3])
        warning = text("proposals.similar", similar=similar)
        reply = reply.with_(footer=f"{warning}\n{reply.footer or ''}".strip())
    return reply


async def cast(call: Call, proposal_id: ProposalId, word: str) -> Reply:
    """Vote (or retract) the same way from the command, a button or a reaction."""
    service = _service(call)
    if word == "retract":
        result = await service.retract(call.uow, call.community, call.member, proposal_id)
    else:
        result = await service.vote(
            call.uow, call.community, call.member, proposal_id, Choice(word), call.inv.actor.roles
        )
    # The card follows through its projection (`projections.CardProjection`).
    return cards.vote_reply(result.proposal, result.choice, result.previous, result.points)


@dataclass(frozen=True, slots=True)
class VoteOptions:
    """Options of /vote."""

    id: str
    choice: str


async def vote_command(call: Call, o: VoteOptions) -> Reply:
    """/vote 12 for."""
    return await cast(call, pid(o.id), o.choice)


async def vote_button(call: Call) -> Reply:
    """The For/Against/Abstain buttons on a card: `proposal.vote:<id>:<choice>`."""
    if len(call.args) != 2 or call.args[1] not in (c.value for c in Choice):
        raise InvalidInputError(problem=text("proposals.button_not_a_vote"))
    return await cast(call, pid(call.args[0]), call.args[1])


async def vote_reaction(call: Call) -> Reply:
    """👍/👎 on a card: adding votes, removing retracts only that vote.

    Not on an anonymous proposal: Slack and Discord show everyone who reacted,
    so a reaction there would make the vote public. The reactor is told once,
    privately (a DM queued with a per-member key, which every platform shows;
    Discord shows no reply to a reaction), to use the buttons.
    """
    proposal_id = pid(call.args[0])
    proposal = await _service(call).get(call.uow, call.community.id, proposal_id)
    if proposal.anonymous:
        return await _refuse_anonymous_reaction(call, proposal)
    meaning = Choice(call.options["meaning"])
    if call.options["added"]:
        return await cast(call, proposal_id, meaning.value)
    try:
        result = await _service(call).retract(
            call.uow, call.community, call.member, proposal_id, only=meaning
        )
    except NoVoteError:
        return Reply(text=text("proposals.no_vote", id=proposal_id), ephemeral=True)
    if result.choice is not None:  # they changed their vote since reacting
        return Reply(
            text=text("proposals.retract_other", id=proposal_id, choice=result.choice),
            ephemeral=True,
        )
    return cards.vote_reply(result.proposal, None, result.previous, None)


async def _refuse_anonymous_reaction(call: Call, proposal: Proposal) -> Reply:
    notice = Reply(
        text=text("proposals.anonymous_reaction", id=proposal.id),
        tone=Tone.WARNING,
        ephemeral=True,
    )
    call.uow.announce(announce.reaction_notice(proposal, call.member.id, notice.to_dict()))
    return notice


@dataclass(frozen=True, slots=True)
class IdOptions:
    """Options of a command that names one proposal."""

    id: str


async def withdraw(call: Call, o: IdOptions) -> Reply:
    """Withdraw the caller's own active proposal."""
    service = _service(call)
    p = await service.withdraw(call.uow, call.community.id, call.member, pid(o.id))
    await announce.freeze_card(call.uow, _cfg(call), p, await service.tally(call.uow, p))
    return Reply(text=text("proposals.withdrawn", id=p.id, title=p.title), tone=Tone.SUCCESS)


async def show(call: Call, o: IdOptions) -> Reply:
    """Details of one proposal: tally, the caller's vote, quorum, history."""
    service = _service(call)
    p = await service.get(call.uow, call.community.id, pid(o.id))
    tally = await service.tally(call.uow, p)
    mine = await service.vote_of(call.uow, p.id, call.member.id)
    quorum = await service.quorum(call.uow, p)
    history = await _history(call.uow, await call.uow.get(ProposalRepository).history(p.id))
    return cards.details(p, tally, mine, quorum, history, _cfg(call), call.now)


async def page(call: Call, status: str | None, type_: str | None, number: int) -> Reply:
    """One page of the proposal list; past the end shows the last page."""
    size = _cfg(call).page_size
    repo = call.uow.get(ProposalRepository)
    wanted_status = Status(status) if status else None
    wanted_type = ProposalType(type_) if type_ else None
    found, total = await repo.search(
        call.community.id, wanted_status, wanted_type, size, (number - 1) * size
    )
    pages = max(1, -(-total // size))
    if total and number > pages:  # past the end: show the last page, not "no match"
        number = pages
        found, total = await repo.search(
            call.community.id, wanted_status, wanted_type, size, (number - 1) * size
        )
    action = f"proposal.page:{status or 'all'}:{type_ or 'all'}"
    return cards.listing(found, number, pages, call.now, action)


@dataclass(frozen=True, slots=True)
class ListOptions:
    """Options of /proposals."""

    status: str | None
    type: str | None
    page: int | None


async def list_command(call: Call, o: ListOptions) -> Reply:
    """/proposals [status] [type] [page]."""
    return await page(call, o.status, o.type, o.page or 1)


async def list_button(call: Call) -> Reply:
    """Older/newer buttons of the list: `proposal.page:<status>:<type>:<page>`."""
    number = parse_id(call.args[2]) if len(call.args) == 3 else None
    if number is None:
        raise InvalidInputError(problem=text("proposals.button_out_of_date"))
    status, type_, _ = call.args
    status_ = status if status in STATUSES else None
    type__ = type_ if type_ in TYPES else None
    return await page(call, status_, type__, number)


async def suggest(ctx: CogContext, source: Any, prefix: str) -> list[tuple[str, str]]:
    """Active proposals of the caller's community whose number or title match."""
    community = getattr(source, "community", None)
    if community is None:
        return []  # without a community we must not suggest another's proposals
    open_uow: UnitOfWork | None = getattr(source, "uow", None)
    if open_uow is not None:
        found, _ = await open_uow.get(ProposalRepository).search(
            community.id, Status.ACTIVE, None, 25, 0
        )
    else:
        async with ctx.uow(read_only=True) as uow:
            found, _ = await uow.get(ProposalRepository).search(
                community.id, Status.ACTIVE, None, 25, 0
            )
    wanted = prefix.strip().lstrip("#").casefold()
    return [
        (f"#{p.id} {p.title}"[:100], str(p.id))
        for p in found
        if not wanted or str(p.id).startswith(wanted) or wanted in p.title.casefold()
    ]


# -- moderators ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CloseOptions:
    """Options of /admin proposal close and reject."""

    id: str
    reason: str


async def close(call: Call, o: CloseOptions) -> Reply:
    """Close a proposal now and count its votes."""
    return await _close(call, o, reject=False)


async def reject(call: Call, o: CloseOptions) -> Reply:
    """Reject a proposal now, whatever its votes."""
    return await _close(call, o, reject=True)


async def _close(call: Call, o: CloseOptions, *, reject: bool) -> Reply:
    closed = await _service(call).close(
        call.uow, call.community.id, pid(o.id), actor=call.member, reason=o.reason, reject=reject
    )
    await announce.publish_closed(call.uow, _cfg(call), closed)
    return cards.result(closed, _cfg(call))


@dataclass(frozen=True, slots=True)
class ImplementOptions:
    """Options of /admin proposal implement."""

    id: str
    note: str | None
    link: str | None


async def implement(call: Call, o: ImplementOptions) -> Reply:
    """Mark an approved proposal implemented; tell the channel and the author."""
    note, link = o.note, o.link
    if link is None and note and (found := _URL.search(note)):
        link = found.group(0)
    if link is not None and not _URL.fullmatch(link):
        raise InvalidInputError(problem=text("proposals.bad_link"))
    service = _service(call)
    p, points = await service.implement(
        call.uow, call.community.id, call.member, pid(o.id), note=note, link=link
    )
    await announce.freeze_card(call.uow, _cfg(call), p, await service.tally(call.uow, p))
    for announcement in announce.implemented(p, points):
        call.uow.announce(announcement)
    return Reply(
        text=text("proposals.implemented_reply", id=p.id, title=p.title), tone=Tone.SUCCESS
    )


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Options of /admin export proposals."""

    format: Literal["csv", "json"]


async def export_proposals(call: Call, o: ExportOptions) -> Reply:
    """Every proposal with its tally, as a CSV or JSON file."""
    data = await export.rows(call.uow, _service(call), call.community)
    body = export.to_json(data) if o.format == "json" else export.to_csv(data)
    kind = "application/json" if o.format == "json" else "text/csv"
    name = f"proposals-{call.now.strftime('%Y%m%d-%H%M')}.{o.format}"
    return Reply(
        text=text("proposals.export_done", count=len(data)),
        file=Attachment(body, name, kind),
        ephemeral=True,
    )


async def _history(uow: UnitOfWork, transitions: list[Transition]) -> list[tuple[str, str]]:
    """History lines: when, and who moved it where (the deadline when nobody did)."""
    names: dict[MemberId, str] = {}
    identity = uow.get(IdentityRepository)
    lines = []
    for t in transitions:
        if t.actor_id is None:
            who = text("proposals.history.deadline")
        else:
            if t.actor_id not in names:
                member = await identity.get_member(t.actor_id)
                names[t.actor_id] = (
                    member.display_name if member else text("proposals.history.someone")
                )
            who = names[t.actor_id]
        what = (
            f"{t.from_status} → {t.to_status}"
            if t.from_status
            else text("proposals.history.created")
        )
        line = text("proposals.history.line", what=what, who=who)
        line += f" “{t.reason}”" if t.reason else ""
        lines.append((t.at.strftime("%Y-%m-%d %H:%M UTC"), line))
    return lines
