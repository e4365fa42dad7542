"""Proposals, votes and their history (see `domain.proposals`).

The tables live in `storage.proposal_tables` and the card edit queue in
`storage.proposal_cards`; both are re-exported here, where they always were.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    exists,
    func,
    select,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from domain.proposals.model import (
    Choice,
    NewProposal,
    Outcome,
    Proposal,
    ProposalId,
    ProposalType,
    Status,
    Tally,
    Transition,
    VoteRecord,
)
from domain.proposals.repository import ProposalRepository
from storage.identity import MemberRow
from storage.points import LedgerRow
from storage.proposal_cards import SqlCardEditQueue
from storage.proposal_tables import ProposalHistoryRow, ProposalRow, ProposalVoteRow
from storage.registry import implements
from storage.sql import insert_ignore, prepare

__all__ = [
    "ProposalHistoryRow",
    "ProposalRow",
    "ProposalVoteRow",
    "SqlCardEditQueue",
    "SqlProposalRepository",
]

_P = ProposalRow.__table__
_V = ProposalVoteRow.__table__
_H = ProposalHistoryRow.__table__
_M = MemberRow.__table__
_L = LedgerRow.__table__

_WITH_AUTHOR = select(_P, _M.c.display_name.label("author_name")).join(
    _M, _M.c.id == _P.c.author_id
)


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=ProposalId(row.id),
        community_id=CommunityId(row.community_id),
        author_id=MemberId(row.author_id),
        author_name=row.author_name,
        type=ProposalType(row.type),
        title=row.title,
        description=row.description,
        anonymous=bool(row.anonymous),
        hidden=bool(row.hidden),
        status=Status(row.status),
        created_at=row.created_at,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        outcome=Outcome(row.outcome) if row.outcome else None,
        reason=row.reason,
        link=row.link,
        quorum_needed=row.quorum_needed,
    )


# Every vote re-reads its proposal's tally: prepared once (storage.sql.prepare).
_ONE = (_P.c.id == bindparam("b_id"), _P.c.community_id == bindparam("b_community"))
# Every vote reads and locks its proposal first: prepared once. SQLite's dialect
# renders no FOR UPDATE; it needs none (its single writer runs one transaction at a time).
_GET = prepare(_WITH_AUTHOR.where(*_ONE))
_LOCK = prepare(_WITH_AUTHOR.where(*_ONE).with_for_update(of=_P))
_TALLY = prepare(
    select(_V.c.choice, func.sum(_V.c.weight), func.count(), func.max(_V.c.weight))
    .where(_V.c.proposal_id == bindparam("b_proposal"), _V.c.choice.is_not(None))
    .group_by(_V.c.choice)
)


@implements(ProposalRepository)
class SqlProposalRepository:
    """Core statements; the vote path is one locked read, one upsert and one aggregate."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @property
    def _is_pg(self) -> bool:
        return self._conn.dialect.name == "postgresql"

    async def add(self, new: NewProposal, title_key: str) -> Proposal:
        result = await self._conn.execute(
            _P.insert()
            .values(
                community_id=new.community_id,
                author_id=new.author_id,
                type=str(new.type),
                title=new.title,
                title_key=title_key[:100],
                description=new.description,
                anonymous=new.anonymous,
                hidden=new.hidden,
                status=str(Status.ACTIVE),
                created_at=new.created_at,
                closes_at=new.closes_at,
            )
            .returning(_P.c.id)
        )
        proposal = await self.get(new.community_id, ProposalId(int(result.scalar_one())))
        assert proposal is not None
        return proposal

    async def get(self, community_id: CommunityId, proposal_id: ProposalId) -> Proposal | None:
        row = await _GET.first(self._conn, {"b_id": proposal_id, "b_community": community_id})
        return _proposal(row) if row else None

    async def lock(self, community_id: CommunityId, proposal_id: ProposalId) -> Proposal | None:
        row = await _LOCK.first(self._conn, {"b_id": proposal_id, "b_community": community_id})
        return _proposal(row) if row else None

    async def lock_author(self, member_id: MemberId) -> None:
        if self._is_pg:
            await self._conn.execute(select(_M.c.id).where(_M.c.id == member_id).with_for_update())

    async def open_count(self, author_id: MemberId) -> int:
        return int(
            (
                await self._conn.execute(
                    select(func.count())
                    .select_from(_P)
                    .where(_P.c.author_id == author_id, _P.c.status == str(Status.ACTIVE))
                )
            ).scalar_one()
        )

    async def similar_active(
        self, community_id: CommunityId, title_key: str, exclude: ProposalId
    ) -> list[Proposal]:
        rows = await self._conn.execute(
            _WITH_AUTHOR.where(
                _P.c.community_id == community_id,
                _P.c.title_key == title_key[:100],
                _P.c.status == str(Status.ACTIVE),
                _P.c.id != exclude,
            ).order_by(_P.c.id)
        )
        return [_proposal(r) for r in rows]

    async def cast(
        self,
        proposal_id: ProposalId,
        member_id: MemberId,
        choice: Choice,
        weight: int,
        now: datetime,
    ) -> tuple[bool, Choice | None]:
        inserted = await insert_ignore(
            self._conn,
            _V,
            {
                "proposal_id": proposal_id,
                "member_id": member_id,
                "choice": str(choice),
                "weight": weight,
                "voted_at": now,
                "updated_at": now,
            },
        )
        if inserted:
            return True, None
        key = and_(_V.c.proposal_id == proposal_id, _V.c.member_id == member_id)
        previous = (await self._conn.execute(select(_V.c.choice).where(key))).scalar_one()
        await self._conn.execute(
            update(_V).where(key).values(choice=str(choice), weight=weight, updated_at=now)
        )
        return False, Choice(previous) if previous else None

    async def retract(
        self, proposal_id: ProposalId, member_id: MemberId, now: datetime
    ) -> Choice | None:
        key = and_(_V.c.proposal_id == proposal_id, _V.c.member_id == member_id)
        previous = (await self._conn.execute(select(_V.c.choice).where(key))).scalar_one_or_none()
        if previous is None:
            return None
        await self._conn.execute(update(_V).where(key).values(choice=None, updated_at=now))
        return Choice(previous)

    async def vote_of(self, proposal_id: ProposalId, member_id: MemberId) -> VoteRecord | None:
        row = (
            await self._conn.execute(
                select(_V, _M.c.display_name)
                .join(_M, _M.c.id == _V.c.member_id)
                .where(_V.c.proposal_id == proposal_id, _V.c.member_id == member_id)
            )
        ).first()
        return _vote(row) if row else None

    async def tally(self, proposal_id: ProposalId) -> Tally:
        result = await _TALLY.run(self._conn, {"b_proposal": proposal_id})
        rows = result.all()
        sums = {Choice(r[0]): int(r[1]) for r in rows}
        return Tally(
            for_weight=sums.get(Choice.FOR, 0),
            against_weight=sums.get(Choice.AGAINST, 0),
            abstain_weight=sums.get(Choice.ABSTAIN, 0),
            voters=sum(int(r[2]) for r in rows),
            weighted=any(int(r[3]) > 1 for r in rows),
        )

    async def votes(self, proposal_id: ProposalId) -> list[VoteRecord]:
        rows = await self._conn.execute(
            select(_V, _M.c.display_name)
            .join(_M, _M.c.id == _V.c.member_id)
            .where(_V.c.proposal_id == proposal_id, _V.c.choice.is_not(None))
            .order_by(_V.c.voted_at, _V.c.member_id)
        )
        return [_vote(r) for r in rows]

    async def transition(
        self,
        proposal: Proposal,
        to_status: Status,
        *,
        at: datetime,
        outcome: Outcome | None = None,
        reason: str | None = None,
        link: str | None = None,
        quorum_needed: int | None = None,
        final: Tally | None = None,
    ) -> bool:
        values: dict[str, Any] = {"status": str(to_status)}
        if proposal.status is Status.ACTIVE:
            values["closed_at"] = at
        if outcome is not None:
            values["outcome"] = str(outcome)
        if reason is not None:
            values["reason"] = reason
        if link is not None:
            values["link"] = link
        if quorum_needed is not None:
            values["quorum_needed"] = quorum_needed
        if final is not None:
            values.update(
                final_for=final.for_weight,
                final_against=final.against_weight,
                final_abstain=final.abstain_weight,
                final_voters=final.voters,
                final_weighted=final.weighted,
            )
        # Conditional on the status we read: two closers (the sweep on two
        # processes, a moderator and the deadline) cannot both succeed.
        result = await self._conn.execute(
            update(_P)
            .where(_P.c.id == proposal.id, _P.c.status == str(proposal.status))
            .values(**values)
        )
        return result.rowcount == 1

    async def record(self, transition: Transition) -> None:
        await self._conn.execute(
            _H.insert().values(
                proposal_id=transition.proposal_id,
                from_status=str(transition.from_status) if transition.from_status else None,
                to_status=str(transition.to_status),
                actor_id=transition.actor_id,
                at=transition.at,
                reason=transition.reason,
            )
        )

    async def history(self, proposal_id: ProposalId) -> list[Transition]:
        rows = await self._conn.execute(
            select(_H).where(_H.c.proposal_id == proposal_id).order_by(_H.c.id)
        )
        return [
            Transition(
                proposal_id=ProposalId(r.proposal_id),
                from_status=Status(r.from_status) if r.from_status else None,
                to_status=Status(r.to_status),
                actor_id=MemberId(r.actor_id) if r.actor_id is not None else None,
                at=r.at,
                reason=r.reason,
            )
            for r in rows
        ]

    async def final_tally(self, proposal_id: ProposalId) -> Tally | None:
        row = (
            await self._conn.execute(
                select(
                    _P.c.final_for,
                    _P.c.final_against,
                    _P.c.final_abstain,
                    _P.c.final_voters,
                    _P.c.final_weighted,
                ).where(_P.c.id == proposal_id)
            )
        ).first()
        if row is None or row.final_voters is None:
            return None
        return Tally(
            row.final_for,
            row.final_against,
            row.final_abstain,
            row.final_voters,
            bool(row.final_weighted),
        )

    async def due(self, now: datetime, limit: int) -> list[tuple[CommunityId, ProposalId]]:
        rows = await self._conn.execute(
            select(_P.c.community_id, _P.c.id)
            .where(_P.c.status == str(Status.ACTIVE), _P.c.closes_at <= now)
            .order_by(_P.c.closes_at, _P.c.id)
            .limit(limit)
        )
        return [(CommunityId(r[0]), ProposalId(r[1])) for r in rows]

    async def search(
        self,
        community_id: CommunityId,
        status: Status | None,
        type_: ProposalType | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Proposal], int]:
        conditions = [_P.c.community_id == community_id]
        if status is not None:
            conditions.append(_P.c.status == str(status))
        if type_ is not None:
            conditions.append(_P.c.type == str(type_))
        total = (
            await self._conn.execute(select(func.count()).select_from(_P).where(*conditions))
        ).scalar_one()
        rows = await self._conn.execute(
            _WITH_AUTHOR.where(*conditions).order_by(_P.c.id.desc()).limit(limit).offset(offset)
        )
        return [_proposal(r) for r in rows], int(total)

    async def active_members(self, community_id: CommunityId, since: datetime) -> int:
        earners = select(_L.c.member_id).where(
            _L.c.community_id == community_id, _L.c.created_at >= since
        )
        voters = (
            select(_V.c.member_id)
            .join(_P, _P.c.id == _V.c.proposal_id)
            .where(_P.c.community_id == community_id, _V.c.updated_at >= since)
        )
        both = union(earners, voters).subquery()
        return int((await self._conn.execute(select(func.count()).select_from(both))).scalar_one())

    async def awaiting_vote(self, member_id: MemberId, now: datetime, limit: int) -> list[Proposal]:
        community = select(_M.c.community_id).where(_M.c.id == member_id).scalar_subquery()
        voted = exists().where(
            _V.c.proposal_id == _P.c.id, _V.c.member_id == member_id, _V.c.choice.is_not(None)
        )
        rows = await self._conn.execute(
            _WITH_AUTHOR.where(
                _P.c.community_id == community,
                _P.c.status == str(Status.ACTIVE),
                _P.c.closes_at > now,
                ~voted,
            )
            .order_by(_P.c.closes_at, _P.c.id)
            .limit(limit)
        )
        return [_proposal(r) for r in rows]


def _vote(row: Any) -> VoteRecord:
    return VoteRecord(
        proposal_id=ProposalId(row.proposal_id),
        member_id=MemberId(row.member_id),
        member_name=row.display_name,
        choice=Choice(row.choice) if row.choice else None,
        weight=row.weight,
        voted_at=row.voted_at,
    )
