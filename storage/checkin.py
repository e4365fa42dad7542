"""Streaks and the check-in history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.checkin.model import StreakState
from domain.checkin.repository import StreakRepository
from domain.core.ids import CommunityId, MemberId
from storage.base import Base
from storage.registry import implements, on_enrol
from storage.sql import prepare
from storage.types import UTCDateTime


class StreakRow(Base):
    """One row per member; `total` is both the count and the optimistic version."""

    __tablename__ = "streaks"
    __table_args__ = (
        Index("ix_streaks_community_current", "community_id", "current"),
        CheckConstraint("freezes >= 0", name="freezes_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    current: Mapped[int] = mapped_column(default=0, server_default="0")
    longest: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    last_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_local_date: Mapped[date | None] = mapped_column(Date())
    freezes: Mapped[int] = mapped_column(default=0, server_default="0")


class CheckinRow(Base):
    """Every check-in ever made; (member, seq) makes a double count impossible."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_community_date", "community_id", "local_date"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    local_date: Mapped[date] = mapped_column(Date())
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())


_S = StreakRow.__table__
_K = CheckinRow.__table__


@on_enrol
async def _open_streak(conn: AsyncConnection, community_id: CommunityId, member: MemberId) -> None:
    """Every member has a streak row from enrolment: a check-in advances it in place."""
    await conn.execute(_S.insert().values(member_id=member, community_id=community_id))


# Built once: the hot path skips statement construction and cache-key work.
_GET = prepare(select(_S).where(_S.c.member_id == bindparam("member_id")))
# Conditional on the version read: of two concurrent check-ins, the second
# matches no row and is refused.
_ADVANCE = prepare(
    update(_S)
    .where(_S.c.member_id == bindparam("b_member_id"), _S.c.total == bindparam("previous_total"))
    .values(
        current=bindparam("b_current"),
        longest=bindparam("b_longest"),
        total=bindparam("b_total"),
        last_checkin_at=bindparam("at"),
        last_local_date=bindparam("b_local_date"),
    )
)
_RECORD = prepare(_K.insert())


@implements(StreakRepository)
class SqlStreakRepository:
    """Streaks and check-ins, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, member_id: MemberId) -> StreakState:
        row = await _GET.first(self._conn, {"member_id": member_id})
        if row is None:
            return StreakState(member_id, 0, 0, 0, None, None, 0)
        return StreakState(
            member_id=member_id,
            current=row.current,
            longest=row.longest,
            total=row.total,
            last_checkin_at=row.last_checkin_at,
            last_local_date=row.last_local_date,
            freezes=row.freezes,
        )

    async def advance(
        self,
        community_id: CommunityId,
        previous: StreakState,
        *,
        current: int,
        longest: int,
        at: datetime,
        local_date: date,
    ) -> bool:
        result = await _ADVANCE.run(
            self._conn,
            {
                "b_member_id": previous.member_id,
                "previous_total": previous.total,
                "b_current": current,
                "b_longest": longest,
                "b_total": previous.total + 1,
                "at": at,
                "b_local_date": local_date,
            },
        )
        if result.rowcount != 1:
            return False
        await _RECORD.ride(
            self._conn,
            {
                "member_id": previous.member_id,
                "seq": previous.total + 1,
                "community_id": community_id,
                "local_date": local_date,
                "checked_at": at,
            },
        )
        return True

    async def use_freezes(self, member_id: MemberId, count: int) -> bool:
        result = await self._conn.execute(
            update(_S)
            .where(_S.c.member_id == member_id, _S.c.freezes >= count)
            .values(freezes=_S.c.freezes - count)
        )
        return result.rowcount == 1

    async def buy_freeze(self, member_id: MemberId, maximum: int) -> int | None:
        result = await self._conn.execute(
            update(_S)
            .where(_S.c.member_id == member_id, _S.c.freezes < maximum)
            .values(freezes=_S.c.freezes + 1)
            .returning(_S.c.freezes)
        )
        value = result.scalar_one_or_none()
        return None if value is None else int(value)

    async def grant_freezes(self, member_id: MemberId, count: int, maximum: int) -> int:
        result = await self._conn.execute(
            update(_S)
            .where(_S.c.member_id == member_id)
            .values(
                freezes=case(
                    (_S.c.freezes >= maximum, _S.c.freezes),
                    (_S.c.freezes + count > maximum, maximum),
                    else_=_S.c.freezes + count,
                )
            )
            .returning(_S.c.freezes)
        )
        return int(result.scalar_one())
