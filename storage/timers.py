"""Durable one-off timers (see `domain.core.timers`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId
from domain.core.timers import Timer, TimerRepository
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class TimerRow(Base):
    """One timer; (kind, key) is unique and `fired_at` is set exactly once."""

    __tablename__ = "timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[str] = mapped_column(String(48))
    key: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_timers_kind_due", "kind", "fired_at", "due_at"),
        Index("uq_timers_kind_key", "kind", "key", unique=True),
    )


_T = TimerRow.__table__


@implements(TimerRepository)
class SqlTimerRepository:
    """Timers, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def schedule(self, timer: Timer, now: datetime) -> bool:
        return await insert_ignore(
            self._conn,
            _T,
            {
                "community_id": timer.community_id,
                "kind": timer.kind,
                "key": timer.key,
                "due_at": timer.due_at,
                "payload": dict(timer.payload),
                "created_at": now,
            },
        )

    async def reschedule(self, kind: str, key: str, due_at: datetime) -> bool:
        result = await self._conn.execute(
            update(_T)
            .where(_T.c.kind == kind, _T.c.key == key, _T.c.fired_at.is_(None))
            .values(due_at=due_at)
        )
        return result.rowcount == 1

    async def cancel(self, kind: str, key: str) -> bool:
        result = await self._conn.execute(
            delete(_T).where(_T.c.kind == kind, _T.c.key == key, _T.c.fired_at.is_(None))
        )
        return result.rowcount == 1

    async def due(self, kind: str, now: datetime, limit: int) -> list[Timer]:
        rows = await self._conn.execute(
            select(_T)
            .where(_T.c.kind == kind, _T.c.fired_at.is_(None), _T.c.due_at <= now)
            .order_by(_T.c.due_at, _T.c.id)
            .limit(limit)
        )
        return [
            Timer(CommunityId(r.community_id), r.kind, r.key, r.due_at, dict(r.payload), r.id)
            for r in rows
        ]

    async def fire(self, timer_id: int, now: datetime) -> bool:
        result = await self._conn.execute(
            update(_T).where(_T.c.id == timer_id, _T.c.fired_at.is_(None)).values(fired_at=now)
        )
        return result.rowcount == 1
