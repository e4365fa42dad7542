"""Hackathons: teams, one submission per team, anonymous votes, prizes paid once.

Joins, votes and phase changes first lock the contest's row, so a team never
grows past its size and a vote racing the deadline is either counted or
refused. Prizes are ledger entries with one key per member and contest, so a
retry of the results pays nobody twice.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from domain.core.clock import Clock
from domain.core.ids import CommunityId, parse_ref
from domain.core.uow import UnitOfWork
from domain.hackathons.activities import HackathonJoined, HackathonWon
from domain.hackathons.errors import (
    AlreadyInTeamError,
    AlreadyVotedError,
    BadLinkError,
    DeadlinesOutOfOrderError,
    HackathonNotFoundError,
    NoSuchEntryError,
    NotInTeamError,
    OwnTeamVoteError,
    SubmissionsClosedError,
    TeamFullError,
    TeamSizeError,
    VotingNotOpenError,
)
from domain.hackathons.model import Entry, Hackathon, HackathonId, Phase, Placing, Results, Team
from domain.hackathons.repository import HackathonRepository
from domain.hackathons.rules import parse_prizes, payouts, places
from domain.identity.model import Member
from domain.identity.repository import IdentityRepository

if TYPE_CHECKING:
    from domain.points import PointsService

_LINK = re.compile(r"https?://\S{3,}")
MAX_TEAM = 50


def parse_hackathon_id(text: str) -> HackathonId:
    """Read a hackathon number such as "7" or "#7" with the shared `parse_id`.

    Raises:
        HackathonNotFoundError: not a number, or not one any hackathon can have.
    """
    found = parse_ref(str(text))
    if found is None:
        raise HackathonNotFoundError(what=str(text).strip().lstrip("#")[:20])
    return HackathonId(found)


class HackathonService:
    """Run hackathons: create them, manage teams and entries, take votes, pay prizes.

    Joins, leaves, submissions and votes lock the hackathon's row first, so
    concurrent commands on one hackathon take turns.
    """

    def __init__(self, clock: Clock, points: PointsService) -> None:
        self._clock = clock
        self._points = points

    async def get(self, uow: UnitOfWork, community_id: CommunityId, ref: str) -> Hackathon:
        found = await uow.get(HackathonRepository).get(community_id, parse_hackathon_id(ref))
        if found is None:
            raise HackathonNotFoundError(what=str(ref).strip().lstrip("#")[:20])
        return found

    async def _locked(self, uow: UnitOfWork, community_id: CommunityId, ref: str) -> Hackathon:
        h = await self.get(uow, community_id, ref)
        locked = await uow.get(HackathonRepository).lock(h.id)
        assert locked is not None
        return locked

    async def create(
        self,
        uow: UnitOfWork,
        host: Member,
        title: str,
        submit_by: datetime,
        vote_by: datetime,
        prizes: str | None,
        team_size: int,
    ) -> Hackathon:
        """Open a hackathon.

        Raises:
            DeadlinesOutOfOrderError: voting would end before submissions close.
            TeamSizeError: a team size under 1 (or absurdly large).
            BadPrizesError: prizes are not a list like 500,300,100.
        """
        if vote_by <= submit_by:
            raise DeadlinesOutOfOrderError(submit_by=submit_by, vote_by=vote_by)
        if not 1 <= team_size <= MAX_TEAM:
            raise TeamSizeError(size=team_size, maximum=MAX_TEAM)
        amounts = parse_prizes(prizes)
        return await uow.get(HackathonRepository).add(
            host.community_id,
            host.id,
            title,
            submit_by,
            vote_by,
            amounts,
            team_size,
            self._clock.now(),
        )

    async def join(
        self, uow: UnitOfWork, member: Member, ref: str, team_name: str | None
    ) -> tuple[Hackathon, Team, bool]:
        """Join (or found) a team; True when the team is new.

        Raises:
            SubmissionsClosedError: the submission deadline has passed.
            AlreadyInTeamError: the member is in a team already.
            TeamFullError: the team has `team_size` members.
        """
        h = await self._locked(uow, member.community_id, ref)
        self._check_open(h)
        repo = uow.get(HackathonRepository)
        mine = await repo.team_of(h.id, member.id)
        if mine is not None:
            raise AlreadyInTeamError(team=mine.name, id=h.id)
        name = (team_name or f"Team {member.display_name}").strip()[:60]
        team = await repo.team_named(h.id, name)
        created = team is None
        if team is None:
            team = await repo.add_team(h.id, name, self._clock.now())
        elif len(team.members) >= h.team_size:
            raise TeamFullError(team=team.name, size=h.team_size)
        await repo.join(h.id, team.id, member.id, self._clock.now())
        uow.record(
            HackathonJoined(
                community_id=member.community_id,
                member_id=member.id,
                key=f"hackathon:{h.id}:joined:{member.id}",
                occurred_at=self._clock.now(),
                hackathon_id=int(h.id),
            )
        )
        joined = await repo.team_of(h.id, member.id)
        assert joined is not None
        return h, joined, created

    async def leave(self, uow: UnitOfWork, member: Member, ref: str) -> tuple[Hackathon, Team]:
        """Raises: SubmissionsClosedError, NotInTeamError."""
        h = await self._locked(uow, member.community_id, ref)
        self._check_open(h)
        repo = uow.get(HackathonRepository)
        team = await repo.team_of(h.id, member.id)
        if team is None:
            raise NotInTeamError(id=h.id)
        await repo.leave(h.id, member.id)
        return h, team

    async def submit(
        self, uow: UnitOfWork, member: Member, ref: str, link: str, description: str
    ) -> tuple[Hackathon, Team, bool]:
        """Store the team's one submission (editable until the deadline); True when first.

        Raises: SubmissionsClosedError, NotInTeamError, BadLinkError.
        """
        h = await self._locked(uow, member.community_id, ref)
        self._check_open(h)
        if not _LINK.fullmatch(link.strip()):
            raise BadLinkError(given=link[:60])
        repo = uow.get(HackathonRepository)
        team = await repo.team_of(h.id, member.id)
        if team is None:
            raise NotInTeamError(id=h.id)
        first = await repo.submit(team.id, h.id, link.strip(), description, self._clock.now())
        return h, team, first

    def _check_open(self, h: Hackathon) -> None:
        if h.phase is not Phase.OPEN or self._clock.now() >= h.submit_by:
            raise SubmissionsClosedError(id=h.id, title=h.title, deadline=h.submit_by)

    async def vote(self, uow: UnitOfWork, member: Member, ref: str, team_ref: str) -> Hackathon:
        """One anonymous vote per member, never for their own team.

        Raises: VotingNotOpenError, NoSuchEntryError, OwnTeamVoteError, AlreadyVotedError.
        """
        h = await self._locked(uow, member.community_id, ref)
        if h.phase is not Phase.VOTING or self._clock.now() >= h.vote_by:
            raise VotingNotOpenError(id=h.id, title=h.title)
        repo = uow.get(HackathonRepository)
        entries = await repo.entries(h.id)
        wanted = team_ref.strip().casefold()
        number = parse_ref(wanted)
        entry = next(
            (e for e in entries if e.team.id == number or e.team.name.casefold() == wanted),
            None,
        )
        if entry is None:
            raise NoSuchEntryError(given=team_ref[:40], id=h.id)
        if any(m.member_id == member.id for m in entry.team.members):
            raise OwnTeamVoteError()
        if not await repo.vote(h.id, member.id, entry.team.id):
            raise AlreadyVotedError(id=h.id)
        return h

    async def entries(self, uow: UnitOfWork, h: Hackathon) -> list[Entry]:
        return await uow.get(HackathonRepository).entries(h.id)

    async def open_voting(self, uow: UnitOfWork, h: Hackathon) -> list[Entry] | None:
        """Close submissions; the gallery's entries, or None when already done elsewhere."""
        if not await uow.get(HackathonRepository).move(h.id, Phase.OPEN, Phase.VOTING):
            return None
        return await self.entries(uow, h)

    async def finish(self, uow: UnitOfWork, h: Hackathon) -> Results | None:
        """Count the votes, pay the prizes once; None when already finished elsewhere."""
        repo = uow.get(HackathonRepository)
        if not await repo.move(h.id, Phase.VOTING, Phase.FINISHED):
            return None
        votes = await repo.tally(h.id)
        entries = {e.team.id: e for e in await repo.entries(h.id)}
        ranked = places({t: n for t, n in votes.items() if t in entries}, h.prizes)
        identity = uow.get(IdentityRepository)
        out = []
        now = self._clock.now()
        for team_id, (place, prize) in sorted(ranked.items(), key=lambda x: (x[1][0], x[0])):
            entry = entries[team_id]
            paid = []
            for member_id, amount in payouts(prize, [m.member_id for m in entry.team.members]):
                member = await identity.get_member(member_id)
                if member is None:
                    continue
                await self._points.award(
                    uow,
                    member,
                    amount,
                    source="hackathon",
                    key=f"hackathon:{h.id}:prize:{member_id}",
                    reason=f"hackathon “{h.title}”: place {place}",
                )
                paid.append((member_id, amount))
            if place == 1:
                for m in entry.team.members:
                    uow.record(
                        HackathonWon(
                            community_id=h.community_id,
                            member_id=m.member_id,
                            key=f"hackathon:{h.id}:won:{m.member_id}",
                            occurred_at=now,
                            hackathon_id=int(h.id),
                        )
                    )
            out.append(Placing(place, entry, votes.get(team_id, 0), prize, tuple(paid)))
        return Results(h, tuple(out))
