"""Storage of message anchors (see `domain.core.anchors`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.anchors import AnchorRepository, PostedMessage
from domain.core.ids import CommunityId
from storage.base import Base
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class MessageAnchorRow(Base):
    """Which posted message shows which anchor ("proposal:12")."""

    __tablename__ = "message_anchors"
    __table_args__ = (Index("ix_message_anchors_anchor", "community_id", "anchor"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    anchor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


_T = MessageAnchorRow.__table__


@implements(AnchorRepository)
class SqlAnchorRepository:
    """Posted messages and their anchors, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def remember(self, message: PostedMessage, now: datetime) -> None:
        await insert_ignore(
            self._conn,
            _T,
            {
                "platform": message.platform,
                "channel_id": message.channel_id,
                "message_id": message.message_id,
                "community_id": message.community_id,
                "anchor": message.anchor,
                "created_at": now,
            },
        )

    async def anchor_of(self, platform: str, channel_id: str, message_id: str) -> str | None:
        return (
            await self._conn.execute(
                select(_T.c.anchor).where(
                    _T.c.platform == platform,
                    _T.c.channel_id == channel_id,
                    _T.c.message_id == message_id,
                )
            )
        ).scalar_one_or_none()

    async def messages_for(self, community_id: CommunityId, anchor: str) -> list[PostedMessage]:
        rows = await self._conn.execute(
            select(_T).where(_T.c.community_id == community_id, _T.c.anchor == anchor)
        )
        return [
            PostedMessage(
                r.platform, r.channel_id, r.message_id, CommunityId(r.community_id), r.anchor
            )
            for r in rows
        ]
