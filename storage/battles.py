"""Battles, their private entries, anonymous votes and Elo ratings (see `domain.battles`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.battles.model import (
    Battle,
    BattleId,
    Entry,
    Judge,
    Method,
    NewBattle,
    Rating,
    Side,
    Status,
    Tally,
)
from domain.battles.repository import BattleRepository
from domain.core.ids import CommunityId, MemberId
from storage.base import Base
from storage.identity import CommunityRow, MemberRow
from storage.registry import implements
from storage.sql import insert_ignore, upsert
from storage.types import UTCDateTime

_STATUSES = ", ".join(f"'{s}'" for s in Status)
_METHODS = ", ".join(f"'{m}'" for m in Method)


class BattleRow(Base):
    """One battle; `status` only moves by conditional UPDATEs."""

    __tablename__ = "battles"
    __table_args__ = (
        Index("ix_battles_community_status", "community_id", "status", "id"),
        Index("ix_battles_challenger", "challenger_id", "created_at"),
        Index("ix_battles_opponent", "opponent_id", "accepted_at"),
        Index("ix_battles_status", "status", "id"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("judge IN ('ai', 'vote')", name="judge_known"),
        CheckConstraint(f"method IS NULL OR method IN ({_METHODS})", name="method_known"),
        CheckConstraint("stake >= 0", name="stake_not_negative"),
        CheckConstraint("opponent_id IS NULL OR opponent_id <> challenger_id", name="two_sides"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    challenger_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    opponent_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    prompt: Mapped[str] = mapped_column(String(1000))
    topic: Mapped[str | None] = mapped_column(String(40))
    stake: Mapped[int] = mapped_column(default=0, server_default="0")
    judge: Mapped[str] = mapped_column(String(8))
    minutes: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accept_by: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voting_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    a_member_id: Mapped[int | None] = mapped_column()
    winner_id: Mapped[int | None] = mapped_column()
    method: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    challenger_delta: Mapped[int | None] = mapped_column()
    opponent_delta: Mapped[int | None] = mapped_column()


class BattleEntryRow(Base):
    """A fighter's entry: one per (battle, member), never changed once sent."""

    __tablename__ = "battle_entries"

    battle_id: Mapped[int] = mapped_column(ForeignKey("battles.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BattleVoteRow(Base):
    """One changeable vote per (battle, member); who voted is never shown."""

    __tablename__ = "battle_votes"
    __table_args__ = (CheckConstraint("side IN ('a', 'b')", name="side_known"),)

    battle_id: Mapped[int] = mapped_column(ForeignKey("battles.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    side: Mapped[str] = mapped_column(String(1))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BattleRatingRow(Base):
    """A member's Elo and record; updated in the transaction that finishes a battle."""

    __tablename__ = "battle_ratings"
    __table_args__ = (
        Index("ix_battle_ratings_board", "community_id", "rating"),
        CheckConstraint("battles = wins + losses + draws", name="record_adds_up"),
        CheckConstraint("rating >= 0", name="rating_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    rating: Mapped[int] = mapped_column()
    battles: Mapped[int] = mapped_column(default=0, server_default="0")
    wins: Mapped[int] = mapped_column(default=0, server_default="0")
    losses: Mapped[int] = mapped_column(default=0, server_default="0")
    draws: Mapped[int] = mapped_column(default=0, server_default="0")
    streak: Mapped[int] = mapped_column(default=0, server_default="0")
    best_streak: Mapped[int] = mapped_column(default=0, server_default="0")
    best_win_battle: Mapped[int | None] = mapped_column()
    best_win_opponent_rating: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


_B = Base.metadata.tables["battles"]
_E = Base.metadata.tables["battle_entries"]
_V = Base.metadata.tables["battle_votes"]
_R = Base.metadata.tables["battle_ratings"]
_M = Base.metadata.tables[MemberRow.__tablename__]
_C = Base.metadata.tables[CommunityRow.__tablename__]
_FELL_THROUGH = (str(Status.DECLINED), str(Status.EXPIRED))


def _battle(r: Any) -> Battle:
    return Battle(
        id=BattleId(r.id),
        community_id=CommunityId(r.community_id),
        challenger_id=MemberId(r.challenger_id),
        opponent_id=None if r.opponent_id is None else MemberId(r.opponent_id),
        prompt=r.prompt,
        topic=r.topic,
        stake=int(r.stake),
        judge=Judge(r.judge),
        minutes=int(r.minutes),
        status=Status(r.status),
        created_at=r.created_at,
        accept_by=r.accept_by,
        accepted_at=r.accepted_at,
        deadline=r.deadline,
        voting_ends_at=r.voting_ends_at,
        a_member_id=None if r.a_member_id is None else MemberId(r.a_member_id),
        winner_id=None if r.winner_id is None else MemberId(r.winner_id),
        method=None if r.method is None else Method(r.method),
        reason=r.reason,
        finished_at=r.finished_at,
        verdict=r.verdict,
        challenger_delta=r.challenger_delta,
        opponent_delta=r.opponent_delta,
    )


def _rating(r: Any) -> Rating:
    return Rating(
        community_id=CommunityId(r.community_id),
        member_id=MemberId(r.member_id),
        rating=int(r.rating),
        battles=int(r.battles),
        wins=int(r.wins),
        losses=int(r.losses),
        draws=int(r.draws),
        streak=int(r.streak),
        best_streak=int(r.best_streak),
        best_win_battle=None if r.best_win_battle is None else BattleId(r.best_win_battle),
        best_win_opponent_rating=r.best_win_opponent_rating,
    )


def _plain(value: Any) -> Any:
    """Enum members as their stored strings."""
    return str(value) if isinstance(value, Status | Judge | Method | Side) else value


@implements(BattleRepository)
class SqlBattleRepository:
    """The `BattleRepository` over SQL: battles, entries, votes and Elo ratings."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @property
    def _pg(self) -> bool:
        return self._conn.dialect.name == "postgresql"

    async def add(self, battle: NewBattle) -> Battle:
        values = {
            "community_id": battle.community_id,
            "challenger_id": battle.challenger_id,
            "opponent_id": battle.opponent_id,
            "prompt": battle.prompt,
            "topic": battle.topic,
            "stake": battle.stake,
            "judge": str(battle.judge),
            "minutes": battle.minutes,
            "status": str(Status.PENDING),
            "created_at": battle.created_at,
            "accept_by": battle.accept_by,
        }
        inserted = await self._conn.execute(_B.insert().values(values).returning(_B.c.id))
        new_id = inserted.scalar_one()
        found = await self.get(battle.community_id, BattleId(new_id))
        assert found is not None
        return found

    async def get(self, community_id: CommunityId, battle_id: BattleId) -> Battle | None:
        row = (
            await self._conn.execute(
                select(_B).where(_B.c.id == battle_id, _B.c.community_id == community_id)
            )
        ).first()
        return _battle(row) if row else None

    async def lock(self, battle_id: BattleId) -> Battle | None:
        query = select(_B).where(_B.c.id == battle_id)
        if self._pg:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).first()
        return _battle(row) if row else None

    async def accept(
        self, battle_id: BattleId, member_id: MemberId, at: datetime, deadline: datetime
    ) -> bool:
        result = await self._conn.execute(
            update(_B)
            .where(
                _B.c.id == battle_id,
                _B.c.status == str(Status.PENDING),
                _B.c.challenger_id != member_id,
                or_(_B.c.opponent_id.is_(None), _B.c.opponent_id == member_id),
            )
            .values(
                opponent_id=member_id,
                status=str(Status.ACTIVE),
                accepted_at=at,
                deadline=deadline,
            )
        )
        return result.rowcount == 1

    async def move(
        self, battle_id: BattleId, from_: Sequence[Status], to: Status, **changes: Any
    ) -> bool:
        values = {k: _plain(v) for k, v in changes.items()}
        result = await self._conn.execute(
            update(_B)
            .where(_B.c.id == battle_id, _B.c.status.in_([str(s) for s in from_]))
            .values(status=str(to), **values)
        )
        return result.rowcount == 1

    async def add_entry(self, entry: Entry) -> bool:
        return await insert_ignore(
            self._conn,
            _E,
            {
                "battle_id": entry.battle_id,
                "member_id": entry.member_id,
                "text": entry.text,
                "submitted_at": entry.submitted_at,
            },
        )

    async def entries(self, battle_id: BattleId) -> list[Entry]:
        rows = await self._conn.execute(
            select(_E).where(_E.c.battle_id == battle_id).order_by(_E.c.submitted_at)
        )
        return [
            Entry(BattleId(r.battle_id), MemberId(r.member_id), r.text, r.submitted_at)
            for r in rows
        ]

    async def vote(
        self, battle_id: BattleId, member_id: MemberId, side: Side, at: datetime
    ) -> Side | None:
        previous = await self.vote_of(battle_id, member_id)
        await upsert(
            self._conn,
            _V,
            [
                {
                    "battle_id": battle_id,
                    "member_id": member_id,
                    "side": str(side),
                    "voted_at": at,
                    "updated_at": at,
                }
            ],
            conflict=("battle_id", "member_id"),
            set_="side = excluded.side, updated_at = excluded.updated_at",
        )
        return previous

    async def vote_of(self, battle_id: BattleId, member_id: MemberId) -> Side | None:
        value = (
            await self._conn.execute(
                select(_V.c.side).where(_V.c.battle_id == battle_id, _V.c.member_id == member_id)
            )
        ).scalar_one_or_none()
        return None if value is None else Side(value)

    async def tally(self, battle_id: BattleId) -> Tally:
        rows = await self._conn.execute(
            select(_V.c.side, func.count()).where(_V.c.battle_id == battle_id).group_by(_V.c.side)
        )
        counts = {r[0]: int(r[1]) for r in rows}
        return Tally(a=counts.get("a", 0), b=counts.get("b", 0))

    async def ratings(
        self, community_id: CommunityId, member_ids: Sequence[MemberId], start: int, *, lock: bool
    ) -> dict[MemberId, Rating]:
        ordered = sorted(set(member_ids))
        for member_id in ordered:
            await insert_ignore(
                self._conn,
                _R,
                {
                    "member_id": member_id,
                    "community_id": community_id,
                    "rating": start,
                    "updated_at": _EPOCH,
                },
            )
        query = select(_R).where(_R.c.member_id.in_(ordered)).order_by(_R.c.member_id)
        if lock and self._pg:
            query = query.with_for_update()
        return {MemberId(r.member_id): _rating(r) for r in await self._conn.execute(query)}

    async def save_rating(self, rating: Rating, at: datetime) -> None:
        await self._conn.execute(
            update(_R)
            .where(_R.c.member_id == rating.member_id)
            .values(
                rating=rating.rating,
                battles=rating.battles,
                wins=rating.wins,
                losses=rating.losses,
                draws=rating.draws,
                streak=rating.streak,
                best_streak=rating.best_streak,
                best_win_battle=rating.best_win_battle,
                best_win_opponent_rating=rating.best_win_opponent_rating,
                updated_at=at,
            )
        )

    async def rating_of(self, member_id: MemberId) -> Rating | None:
        row = (await self._conn.execute(select(_R).where(_R.c.member_id == member_id))).first()
        return _rating(row) if row else None

    async def started_since(self, member_id: MemberId, since: datetime) -> int:
        value = (
            await self._conn.execute(
                select(func.count())
                .select_from(_B)
                .where(
                    _B.c.status.not_in(_FELL_THROUGH),
                    or_(
                        and_(_B.c.challenger_id == member_id, _B.c.created_at >= since),
                        and_(_B.c.opponent_id == member_id, _B.c.accepted_at >= since),
                    ),
                )
            )
        ).scalar_one()
        return int(value)

    async def pair_since(self, one: MemberId, other: MemberId, since: datetime) -> int:
        value = (
            await self._conn.execute(
                select(func.count())
                .select_from(_B)
                .where(
                    _B.c.accepted_at >= since,
                    _B.c.status != str(Status.CANCELLED),
                    or_(
                        and_(_B.c.challenger_id == one, _B.c.opponent_id == other),
                        and_(_B.c.challenger_id == other, _B.c.opponent_id == one),
                    ),
                )
            )
        ).scalar_one()
        return int(value)

    async def listing(
        self,
        community_id: CommunityId,
        statuses: Sequence[Status],
        member_id: MemberId | None,
        limit: int,
    ) -> list[Battle]:
        query = select(_B).where(
            _B.c.community_id == community_id, _B.c.status.in_([str(s) for s in statuses])
        )
        if member_id is not None:
            query = query.where(or_(_B.c.challenger_id == member_id, _B.c.opponent_id == member_id))
        rows = await self._conn.execute(query.order_by(_B.c.id.desc()).limit(limit))
        return [_battle(r) for r in rows]

    async def in_status(self, status: Status, limit: int) -> list[Battle]:
        rows = await self._conn.execute(
            select(_B).where(_B.c.status == str(status)).order_by(_B.c.id).limit(limit)
        )
        return [_battle(r) for r in rows]

    async def names(self, member_ids: Sequence[MemberId]) -> Mapping[MemberId, str]:
        if not member_ids:
            return {}
        rows = await self._conn.execute(
            select(_M.c.id, _M.c.display_name).where(_M.c.id.in_(sorted(set(member_ids))))
        )
        return {MemberId(r[0]): r[1] for r in rows}

    async def communities(self) -> list[CommunityId]:
        rows = await self._conn.execute(select(_C.c.id).order_by(_C.c.id))
        return [CommunityId(r[0]) for r in rows]


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
