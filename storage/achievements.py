"""Member counters and held achievements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.achievements.repository import AchievementRepository, CounterRepository
from domain.ids import CommunityId, MemberId
from storage.base import Base
from storage.identity import MemberRow
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class MemberCounterRow(Base):
    """One counter of one member ("checkins", "votes_cast", …)."""

    __tablename__ = "member_counters"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    counter: Mapped[str] = mapped_column(String(32), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    value: Mapped[int] = mapped_column(BigInteger(), default=0, server_default="0")


class MemberAchievementRow(Base):
    """An achievement a member holds; the primary key makes holding it twice impossible."""

    __tablename__ = "member_achievements"
    __table_args__ = (Index("ix_member_achievements_held", "community_id", "achievement_id"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    achievement_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AchievementHoldersRow(Base):
    """How many members hold an achievement, moved with each grant (rarity without a scan)."""

    __tablename__ = "achievement_holders"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    achievement_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    holders: Mapped[int] = mapped_column(default=0, server_default="0")


_C = MemberCounterRow.__table__
_N = AchievementHoldersRow.__table__
_H = MemberAchievementRow.__table__
_M = MemberRow.__table__


def _insert(conn: AsyncConnection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _upsert(conn: AsyncConnection, values: dict[str, Any], new_value: Any) -> Any:
    stmt = _insert(conn)(_C).values(values)
    return stmt.on_conflict_do_update(
        index_elements=["member_id", "counter"], set_={"value": new_value(stmt.excluded.value)}
    )


@implements(CounterRepository)
class SqlCounterRepository:
    """Counters moved by one UPSERT each: concurrent increments add up."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self, community_id: CommunityId, member_id: MemberId, counter: str, amount: int
    ) -> None:
        values = {
            "member_id": member_id,
            "counter": counter,
            "community_id": community_id,
            "value": amount,
        }
        await self._conn.execute(_upsert(self._conn, values, lambda new: _C.c.value + new))

    async def raise_to(
        self, community_id: CommunityId, member_id: MemberId, counter: str, value: int
    ) -> None:
        values = {
            "member_id": member_id,
            "counter": counter,
            "community_id": community_id,
            "value": value,
        }
        await self._conn.execute(
            _upsert(self._conn, values, lambda new: case((new > _C.c.value, new), else_=_C.c.value))
        )

    async def values(self, member_id: MemberId) -> dict[str, int]:
        rows = await self._conn.execute(
            select(_C.c.counter, _C.c.value).where(_C.c.member_id == member_id)
        )
        return {r.counter: int(r.value) for r in rows}


@implements(AchievementRepository)
class SqlAchievementRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def grant(
        self, community_id: CommunityId, member_id: MemberId, achievement_id: str, at: datetime
    ) -> bool:
        granted = await insert_ignore(
            self._conn,
            _H,
            {
                "member_id": member_id,
                "achievement_id": achievement_id,
                "community_id": community_id,
                "unlocked_at": at,
            },
        )
        if granted:
            stmt = _insert(self._conn)(_N).values(
                community_id=community_id, achievement_id=achievement_id, holders=1
            )
            await self._conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["community_id", "achievement_id"],
                    set_={"holders": _N.c.holders + 1},
                )
            )
        return granted

    async def held(self, member_id: MemberId) -> dict[str, datetime]:
        rows = await self._conn.execute(
            select(_H.c.achievement_id, _H.c.unlocked_at).where(_H.c.member_id == member_id)
        )
        return {r.achievement_id: r.unlocked_at for r in rows}

    async def holders(self, community_id: CommunityId) -> dict[str, int]:
        rows = await self._conn.execute(
            select(_N.c.achievement_id, _N.c.holders).where(_N.c.community_id == community_id)
        )
        return {r.achievement_id: int(r.holders) for r in rows}

    async def members(self, community_id: CommunityId) -> int:
        return int(
            (
                await self._conn.execute(
                    select(func.count()).select_from(_M).where(_M.c.community_id == community_id)
                )
            ).scalar_one()
        )
