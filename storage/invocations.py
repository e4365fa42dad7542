"""Storage of the invocation log (see `domain.core.invocations`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.invocations import InvocationLog
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore, prepare
from storage.types import UTCDateTime


class InvocationRow(Base):
    """An applied invocation key and the reply it got."""

    __tablename__ = "invocations"
    __table_args__ = (Index("ix_invocations_created", "created_at"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    command: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reply: Mapped[dict[str, Any] | None] = mapped_column(JSON())


_I = InvocationRow.__table__


_STORE_REPLY = prepare(
    update(_I)
    .where(_I.c.platform == bindparam("p"), _I.c.key == bindparam("k"))
    .values(reply=bindparam("b_reply"))
)


@implements(InvocationLog)
class SqlInvocationLog:
    """The invocation log, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def claim(self, platform: str, key: str, command: str, now: datetime) -> bool:
        return await insert_ignore(
            self._conn,
            _I,
            {"platform": platform, "key": key[:200], "command": command[:64], "created_at": now},
        )

    async def store_reply(self, platform: str, key: str, reply: Mapping[str, Any]) -> None:
        await _STORE_REPLY.ride(self._conn, {"p": platform, "k": key[:200], "b_reply": dict(reply)})

    async def reply_for(self, platform: str, key: str) -> Mapping[str, Any] | None:
        return (
            await self._conn.execute(
                select(_I.c.reply).where(_I.c.platform == platform, _I.c.key == key[:200])
            )
        ).scalar_one_or_none()

    async def forget_before(self, cutoff: datetime) -> int:
        result = await self._conn.execute(delete(_I).where(_I.c.created_at < cutoff))
        return int(result.rowcount or 0)
