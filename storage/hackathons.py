"""Hackathons, teams, submissions and votes (see `domain.hackathons`).

Votes keep the voter only to enforce one vote per member (the primary key);
nothing reads who voted for what except the count per team.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.hackathons.model import (
    Entry,
    Hackathon,
    HackathonId,
    Phase,
    Team,
    TeamId,
    TeamMember,
)
from domain.hackathons.repository import HackathonRepository
from storage.base import Base
from storage.identity import MemberRow
from storage.registry import implements
from storage.sql import insert_ignore, upsert
from storage.types import UTCDateTime

_PHASES = ", ".join(f"'{p}'" for p in Phase)


class HackathonRow(Base):
    """A hackathon; the checks keep the phase known and voting ending after submissions."""

    __tablename__ = "hackathons"
    __table_args__ = (
        Index("ix_hackathons_phase", "phase", "submit_by"),
        CheckConstraint(f"phase IN ({_PHASES})", name="phase_known"),
        CheckConstraint("team_size >= 1", name="team_size_positive"),
        CheckConstraint("vote_by > submit_by", name="deadlines_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    host_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    title: Mapped[str] = mapped_column(String(100))
    submit_by: Mapped[datetime] = mapped_column(UTCDateTime())
    vote_by: Mapped[datetime] = mapped_column(UTCDateTime())
    prizes: Mapped[list[int]] = mapped_column(JSON())
    team_size: Mapped[int] = mapped_column()
    phase: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HackathonTeamRow(Base):
    """A team of a hackathon; `name_key` (the case-folded name) is unique per hackathon."""

    __tablename__ = "hackathon_teams"
    __table_args__ = (Index("uq_hackathon_teams_name", "hackathon_id", "name_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(ForeignKey("hackathons.id"))
    name: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HackathonMemberRow(Base):
    """One team per member per hackathon: the primary key."""

    __tablename__ = "hackathon_members"
    __table_args__ = (Index("ix_hackathon_members_team", "team_id"),)

    hackathon_id: Mapped[int] = mapped_column(ForeignKey("hackathons.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("hackathon_teams.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HackathonSubmissionRow(Base):
    """One submission per team: the primary key; replaced while submissions are open."""

    __tablename__ = "hackathon_submissions"

    team_id: Mapped[int] = mapped_column(ForeignKey("hackathon_teams.id"), primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(ForeignKey("hackathons.id"))
    link: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HackathonVoteRow(Base):
    """One vote per member per hackathon (the primary key); no timestamp, nothing to trace."""

    __tablename__ = "hackathon_votes"
    __table_args__ = (Index("ix_hackathon_votes_team", "hackathon_id", "team_id"),)

    hackathon_id: Mapped[int] = mapped_column(ForeignKey("hackathons.id"), primary_key=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("hackathon_teams.id"))


_H = HackathonRow.__table__
_T = HackathonTeamRow.__table__
_TM = HackathonMemberRow.__table__
_S = HackathonSubmissionRow.__table__
_V = HackathonVoteRow.__table__
_M = MemberRow.__table__


def _hackathon(row: Any) -> Hackathon:
    return Hackathon(
        id=HackathonId(row.id),
        community_id=CommunityId(row.community_id),
        host_id=MemberId(row.host_id),
        title=row.title,
        submit_by=row.submit_by,
        vote_by=row.vote_by,
        prizes=tuple(int(p) for p in row.prizes),
        team_size=row.team_size,
        phase=Phase(row.phase),
        created_at=row.created_at,
    )


@implements(HackathonRepository)
class SqlHackathonRepository:
    """The `HackathonRepository` over SQL: hackathons, teams, entries and votes."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self,
        community_id: CommunityId,
        host_id: MemberId,
        title: str,
        submit_by: datetime,
        vote_by: datetime,
        prizes: tuple[int, ...],
        team_size: int,
        now: datetime,
    ) -> Hackathon:
        new_id = (
            await self._conn.execute(
                _H.insert()
                .values(
                    community_id=community_id,
                    host_id=host_id,
                    title=title,
                    submit_by=submit_by,
                    vote_by=vote_by,
                    prizes=list(prizes),
                    team_size=team_size,
                    phase=str(Phase.OPEN),
                    created_at=now,
                )
                .returning(_H.c.id)
            )
        ).scalar_one()
        found = await self.get(community_id, HackathonId(new_id))
        assert found is not None
        return found

    async def get(self, community_id: CommunityId, hackathon_id: HackathonId) -> Hackathon | None:
        row = (
            await self._conn.execute(
                select(_H).where(_H.c.id == hackathon_id, _H.c.community_id == community_id)
            )
        ).first()
        return _hackathon(row) if row else None

    async def lock(self, hackathon_id: HackathonId) -> Hackathon | None:
        stmt = select(_H).where(_H.c.id == hackathon_id)
        if self._conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()  # SQLite: the single writer already serialises
        row = (await self._conn.execute(stmt)).first()
        return _hackathon(row) if row else None

    async def move(self, hackathon_id: HackathonId, from_: Phase, to: Phase) -> bool:
        result = await self._conn.execute(
            update(_H)
            .where(_H.c.id == hackathon_id, _H.c.phase == str(from_))
            .values(phase=str(to))
        )
        return result.rowcount == 1

    async def _teams(self, where: Any) -> list[Team]:
        rows = await self._conn.execute(
            select(_T.c.id, _T.c.hackathon_id, _T.c.name, _TM.c.member_id, _M.c.display_name)
            .select_from(
                _T.outerjoin(_TM, _TM.c.team_id == _T.c.id).outerjoin(
                    _M, _M.c.id == _TM.c.member_id
                )
            )
            .where(where)
            .order_by(_T.c.id, _TM.c.joined_at, _TM.c.member_id)
        )
        teams: dict[int, tuple[Any, list[TeamMember]]] = {}
        for r in rows:
            entry = teams.setdefault(r.id, (r, []))
            if r.member_id is not None:
                entry[1].append(TeamMember(MemberId(r.member_id), r.display_name))
        return [
            Team(TeamId(r.id), HackathonId(r.hackathon_id), r.name, tuple(members))
            for r, members in teams.values()
        ]

    async def team_of(self, hackathon_id: HackathonId, member_id: MemberId) -> Team | None:
        mine = select(_TM.c.team_id).where(
            _TM.c.hackathon_id == hackathon_id, _TM.c.member_id == member_id
        )
        found = await self._teams(_T.c.id.in_(mine))
        return found[0] if found else None

    async def team_named(self, hackathon_id: HackathonId, name: str) -> Team | None:
        found = await self._teams(
            (_T.c.hackathon_id == hackathon_id) & (_T.c.name_key == name.casefold())
        )
        return found[0] if found else None

    async def add_team(self, hackathon_id: HackathonId, name: str, now: datetime) -> Team:
        new_id = (
            await self._conn.execute(
                _T.insert()
                .values(
                    hackathon_id=hackathon_id, name=name, name_key=name.casefold(), created_at=now
                )
                .returning(_T.c.id)
            )
        ).scalar_one()
        return Team(TeamId(new_id), hackathon_id, name, ())

    async def join(
        self, hackathon_id: HackathonId, team_id: TeamId, member_id: MemberId, now: datetime
    ) -> None:
        await self._conn.execute(
            _TM.insert().values(
                hackathon_id=hackathon_id, member_id=member_id, team_id=team_id, joined_at=now
            )
        )

    async def leave(self, hackathon_id: HackathonId, member_id: MemberId) -> None:
        team = await self.team_of(hackathon_id, member_id)
        await self._conn.execute(
            delete(_TM).where(_TM.c.hackathon_id == hackathon_id, _TM.c.member_id == member_id)
        )
        if team is not None and len(team.members) <= 1:
            await self._conn.execute(delete(_S).where(_S.c.team_id == team.id))
            await self._conn.execute(delete(_T).where(_T.c.id == team.id))

    async def submit(
        self, team_id: TeamId, hackathon_id: HackathonId, link: str, description: str, now: datetime
    ) -> bool:
        existing = (
            await self._conn.execute(select(_S.c.team_id).where(_S.c.team_id == team_id))
        ).first()
        await upsert(
            self._conn,
            _S,
            [
                {
                    "team_id": team_id,
                    "hackathon_id": hackathon_id,
                    "link": link,
                    "description": description,
                    "submitted_at": now,
                    "updated_at": now,
                }
            ],
            conflict=("team_id",),
            set_="link = excluded.link, description = excluded.description,"
            " updated_at = excluded.updated_at",
        )
        return existing is None

    async def entries(self, hackathon_id: HackathonId) -> list[Entry]:
        teams = {t.id: t for t in await self._teams(_T.c.hackathon_id == hackathon_id)}
        rows = await self._conn.execute(
            select(_S)
            .where(_S.c.hackathon_id == hackathon_id)
            .order_by(_S.c.submitted_at, _S.c.team_id)
        )
        return [
            Entry(teams[TeamId(r.team_id)], r.link, r.description, r.submitted_at)
            for r in rows
            if TeamId(r.team_id) in teams
        ]

    async def vote(self, hackathon_id: HackathonId, voter_id: MemberId, team_id: TeamId) -> bool:
        return await insert_ignore(
            self._conn,
            _V,
            {"hackathon_id": hackathon_id, "voter_id": voter_id, "team_id": team_id},
        )

    async def tally(self, hackathon_id: HackathonId) -> dict[TeamId, int]:
        rows = await self._conn.execute(
            select(_V.c.team_id, func.count())
            .where(_V.c.hackathon_id == hackathon_id)
            .group_by(_V.c.team_id)
        )
        return {TeamId(r[0]): int(r[1]) for r in rows}

    async def due(self, phase: Phase, now: datetime, limit: int) -> list[Hackathon]:
        deadline = _H.c.submit_by if phase is Phase.OPEN else _H.c.vote_by
        rows = await self._conn.execute(
            select(_H)
            .where(_H.c.phase == str(phase), deadline <= now)
            .order_by(deadline, _H.c.id)
            .limit(limit)
        )
        return [_hackathon(r) for r in rows]
