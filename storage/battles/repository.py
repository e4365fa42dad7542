"""The `BattleRepository` over SQL (see `domain.battles`); the tables are in `tables`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

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
from storage.battles.tables import BATTLES as _B
from storage.battles.tables import COMMUNITIES as _C
from storage.battles.tables import ENTRIES as _E
from storage.battles.tables import FELL_THROUGH as _FELL_THROUGH
from storage.battles.tables import MEMBERS as _M
from storage.battles.tables import RATINGS as _R
from storage.battles.tables import VOTES as _V
from storage.battles.tables import to_battle as _battle
from storage.battles.tables import to_rating as _rating
from storage.registry import implements
from storage.sql import insert_ignore, upsert


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

    async def judge_queue(self, now: datetime, limit: int) -> list[Battle]:
        rows = await self._conn.execute(
            select(_B)
            .where(
                _B.c.status == str(Status.JUDGING),
                or_(_B.c.judge_next_at.is_(None), _B.c.judge_next_at <= now),
            )
            .order_by(_B.c.id)
            .limit(limit)
        )
        return [_battle(r) for r in rows]

    async def claim_judging(
        self, battle_id: BattleId, attempts: int, now: datetime, lease_until: datetime
    ) -> bool:
        result = await self._conn.execute(
            update(_B)
            .where(
                _B.c.id == battle_id,
                _B.c.status == str(Status.JUDGING),
                _B.c.judge_attempts == attempts,
                or_(_B.c.judge_next_at.is_(None), _B.c.judge_next_at <= now),
            )
            .values(judge_attempts=attempts + 1, judge_next_at=lease_until)
        )
        return result.rowcount == 1

    async def judge_later(self, battle_id: BattleId, at: datetime) -> None:
        await self._conn.execute(
            update(_B)
            .where(_B.c.id == battle_id, _B.c.status == str(Status.JUDGING))
            .values(judge_next_at=at)
        )

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
