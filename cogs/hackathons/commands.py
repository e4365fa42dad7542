"""Handlers of /hackathon: parse, call `HackathonService`, return a Reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from cogs.hackathons import cards
from cogs.kit import Call, CogContext, Reply, Tone
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target
from domain.core.errors import InvalidInputError
from domain.core.ids import parse_ids
from domain.core.uow import UnitOfWork
from domain.events.when import parse_when
from domain.hackathons import Hackathon, HackathonRepository, HackathonService, Phase

log = logging.getLogger(__name__)
CHANNEL_KIND = "events"
BATCH = 20


@dataclass(frozen=True, slots=True)
class CreateOptions:
    """Options of /hackathon create."""

    title: str
    submit_by: str
    vote_by: str
    prizes: str | None
    team_size: int


@dataclass(frozen=True, slots=True)
class IdOptions:
    """Options of /hackathon show and /hackathon leave: which hackathon."""

    id: str


@dataclass(frozen=True, slots=True)
class JoinOptions:
    """Options of /hackathon join."""

    id: str
    team: str | None


@dataclass(frozen=True, slots=True)
class SubmitOptions:
    """Options of /hackathon submit."""

    id: str
    link: str
    description: str


@dataclass(frozen=True, slots=True)
class VoteOptions:
    """Options of /hackathon vote."""

    id: str
    team: str


def _service(call: Call) -> HackathonService:
    return call.ctx.need(HackathonService)


def _zone(call: Call) -> str:
    return call.member.timezone or call.community.timezone


def _post(uow: UnitOfWork, h: Hackathon, kind: str, key: str, reply: Reply) -> None:
    uow.announce(
        Announcement(
            community_id=h.community_id,
            kind=kind,
            dedupe_key=key,
            payload=reply.to_dict(),
            target=Target.CHANNEL,
            channel_kind=CHANNEL_KIND,
            anchor=reply.anchor,
        )
    )


async def create(call: Call, o: CreateOptions) -> Reply:
    """Open a hackathon (/hackathon create), reading both deadlines in the caller's zone.

    The card is posted to the events channel; the caller gets it with the join hint.
    """
    zone = _zone(call)
    h = await _service(call).create(
        call.uow,
        call.member,
        o.title,
        parse_when(o.submit_by, call.now, zone),
        parse_when(o.vote_by, call.now, zone),
        o.prizes,
        o.team_size,
    )
    reply = cards.card(h, [], zone)
    _post(call.uow, h, "hackathon.card", f"hackathon:{h.id}:posted", reply)
    return reply.with_(footer=text("hackathons.created", id=h.id))


async def show(call: Call, o: IdOptions) -> Reply:
    """Show the hackathon's card to the caller: teams with entries, plus the caller's own team."""
    h = await _service(call).get(call.uow, call.community.id, o.id)
    entries = await _service(call).entries(call.uow, h)
    teams = [e.team for e in entries]
    repo = call.uow.get(HackathonRepository)
    mine = await repo.team_of(h.id, call.member.id)
    if mine is not None and all(t.id != mine.id for t in teams):
        teams.append(mine)
    return cards.card(h, teams, _zone(call)).with_(anchor=None, ephemeral=True)


async def join(call: Call, o: JoinOptions) -> Reply:
    """Join or found a team (/hackathon join); without a name it is "Team <caller's name>"."""
    h, team, created = await _service(call).join(call.uow, call.member, o.id, o.team)
    code = "hackathons.joined_new" if created else "hackathons.joined"
    return Reply(text=text(code, team=team.name, id=h.id), tone=Tone.SUCCESS)


async def leave(call: Call, o: IdOptions) -> Reply:
    """Leave the caller's team while submissions are open (/hackathon leave)."""
    h, team = await _service(call).leave(call.uow, call.member, o.id)
    return Reply(text=text("hackathons.left", team=team.name, id=h.id), tone=Tone.SUCCESS)


async def submit(call: Call, o: SubmitOptions) -> Reply:
    """Submit or replace the team's entry, a link and a description (/hackathon submit)."""
    h, team, first = await _service(call).submit(call.uow, call.member, o.id, o.link, o.description)
    if first:
        words = text("hackathons.submitted", team=team.name, deadline=h.submit_by)
    else:
        words = text("hackathons.resubmitted", team=team.name)
    return Reply(text=words, tone=Tone.SUCCESS)


async def _vote(call: Call, ref: str, team: str) -> Reply:
    await _service(call).vote(call.uow, call.member, ref, team)
    # The reply is only for the voter; nothing about the choice is logged or stored elsewhere.
    return Reply(text=text("hackathons.voted"), tone=Tone.SUCCESS, ephemeral=True)


async def vote_command(call: Call, o: VoteOptions) -> Reply:
    """Vote anonymously for a team's entry (/hackathon vote)."""
    return await _vote(call, o.id, o.team)


async def vote_button(call: Call) -> Reply:
    """Vote from a gallery button; its arguments are the hackathon and the team number."""
    found = parse_ids(call.args, 2)
    if found is None:
        raise InvalidInputError(problem=text("hackathons.button_out_of_date"))
    return await _vote(call, str(found[0]), str(found[1]))


async def advance(ctx: CogContext, now: datetime) -> None:
    """Close submissions (post the gallery) and voting (post results, pay) when due.

    Each contest moves in its own transaction, guarded by a conditional phase
    UPDATE, so two schedulers or a restart mid-way move it once.
    """
    service = ctx.need(HackathonService)
    for phase in (Phase.OPEN, Phase.VOTING):
        async with ctx.uow(read_only=True) as uow:
            due = await uow.get(HackathonRepository).due(phase, now, BATCH)
        for h in due:
            try:
                async with ctx.uow() as uow:
                    locked = await uow.get(HackathonRepository).lock(h.id)
                    if locked is None:
                        continue
                    if phase is Phase.OPEN:
                        entries = await service.open_voting(uow, locked)
                        if entries is not None:
                            reply = cards.gallery(locked, entries)
                            _post(
                                uow, locked, "hackathon.gallery", f"hackathon:{h.id}:gallery", reply
                            )
                    else:
                        results = await service.finish(uow, locked)
                        if results is not None:
                            reply = cards.results(results)
                            _post(
                                uow, locked, "hackathon.results", f"hackathon:{h.id}:results", reply
                            )
                    await uow.commit()
            except Exception:
                log.exception("hackathon %s could not leave phase %s", h.id, phase)
