"""The outbox: announcements stored with the change that caused them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.announcements import Announcement, OutboxRepository
from domain.core.ids import CommunityId
from storage.base import Base
from storage.registry import implements
from storage.sql import upsert, upsert_parts
from storage.types import UTCDateTime


class OutboxRow(Base):
    """One announcement to deliver; `dedupe_key` is unique so it is sent at most once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[str] = mapped_column(String(48))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    target: Mapped[str] = mapped_column(String(16))
    channel_kind: Mapped[str | None] = mapped_column(String(48))
    member_id: Mapped[int | None] = mapped_column()
    anchor: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, object]] = mapped_column(JSON())
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    not_before: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The first claim's time: a later claim may find the message already posted since.
    first_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text())


_O = OutboxRow.__table__


@implements(OutboxRepository)
class SqlOutboxRepository:
    """The outbox's writing side, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, announcements: list[Announcement], now: datetime) -> int:
        # One multi-row INSERT … ON CONFLICT DO NOTHING per 100 announcements: a
        # projector batch announces hundreds of unlocks (issue 13).
        added = 0
        for part in upsert_parts(self._conn, _rows(announcements, now)):
            result = await upsert(self._conn, _O, part, conflict=(), set_=None, returning=("id",))
            added += len(result.all())
        return added

    async def settle_pending(self, community_id: CommunityId, now: datetime) -> int:
        result = await self._conn.execute(
            update(_O)
            .where(_O.c.community_id == community_id, _O.c.status == "pending")
            .values(status="sent", sent_at=now, last_error="seeded history, not delivered")
        )
        return int(result.rowcount or 0)


def _rows(announcements: list[Announcement], now: datetime) -> list[dict[str, object]]:
    return [
        {
            "community_id": a.community_id,
            "kind": a.kind,
            "dedupe_key": a.dedupe_key,
            "target": str(a.target),
            "channel_kind": a.channel_kind,
            "member_id": a.member_id,
            "anchor": a.anchor,
            "payload": dict(a.payload),
            "status": "pending",
            "attempts": 0,
            "not_before": a.not_before or now,
            "created_at": now,
        }
        for a in announcements
    ]


async def add_riding(
    conn: AsyncConnection, announcements: list[Announcement], now: datetime
) -> None:
    """Store a unit of work's announcements with its next statement (`at_driver.ride`).

    A unit of work stores them last, just before COMMIT (the projector: before
    its NOTIFY), and reads nothing back; a duplicate is skipped as by `add`.
    """
    for part in upsert_parts(conn, _rows(announcements, now)):
        await upsert(conn, _O, part, conflict=(), set_=None, ride=True)
