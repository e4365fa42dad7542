"""The AI mentor's memory: each member's last turns (see `domain.mentor_ai`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.mentor_ai.model import Turn
from domain.mentor_ai.repository import MemoryRepository
from storage.base import Base
from storage.registry import implements
from storage.types import UTCDateTime


class MentorTurnRow(Base):
    """One remembered message; every query names its member, so nobody reads another's."""

    __tablename__ = "mentor_ai_turns"
    __table_args__ = (
        Index("ix_mentor_ai_turns_member", "member_id", "id"),
        Index("ix_mentor_ai_turns_community", "community_id", "at"),
        CheckConstraint("role IN ('user', 'assistant')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text())
    prompt_version: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MentorAnswerRow(Base):
    """An answer by request key, so a retried or double-submitted question is answered once."""

    __tablename__ = "mentor_ai_answers"
    __table_args__ = (
        Index("uq_mentor_ai_answers_request", "member_id", "request_key", unique=True),
        Index("ix_mentor_ai_answers_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    request_key: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text())
    prompt_version: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


_T = MentorTurnRow.__table__
_A = MentorAnswerRow.__table__


@implements(MemoryRepository)
class SqlMemoryRepository:
    """The AI mentor's memory over one connection."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def recent(self, member_id: MemberId, limit: int) -> list[Turn]:
        if limit <= 0:
            return []
        rows = await self._conn.execute(
            select(_T.c.role, _T.c.content, _T.c.at)
            .where(_T.c.member_id == int(member_id))
            .order_by(_T.c.id.desc())
            .limit(limit)
        )
        return [Turn(r.role, r.content, r.at) for r in reversed(rows.all())]

    async def add(
        self, community_id: CommunityId, member_id: MemberId, turns: list[Turn], prompt_version: str
    ) -> None:
        await self._conn.execute(
            insert(_T),
            [
                {
                    "community_id": int(community_id),
                    "member_id": int(member_id),
                    "role": t.role,
                    "content": t.content,
                    "prompt_version": prompt_version[:64],
                    "at": t.at,
                }
                for t in turns
            ],
        )

    async def trim(self, member_id: MemberId, keep: int) -> None:
        if keep <= 0:
            await self.clear(member_id)
            return
        # The oldest id to keep, then one DELETE below it (both engines accept this form).
        cutoff = (
            await self._conn.execute(
                select(_T.c.id)
                .where(_T.c.member_id == int(member_id))
                .order_by(_T.c.id.desc())
                .offset(keep - 1)
                .limit(1)
            )
        ).scalar_one_or_none()
        if cutoff is not None:
            await self._conn.execute(
                delete(_T).where(_T.c.member_id == int(member_id), _T.c.id < cutoff)
            )

    async def clear(self, member_id: MemberId) -> int:
        result = await self._conn.execute(delete(_T).where(_T.c.member_id == int(member_id)))
        return int(result.rowcount)

    async def save_answer(
        self,
        community_id: CommunityId,
        member_id: MemberId,
        request_key: str,
        answer: str,
        prompt_version: str,
        at: datetime,
        forget_before: datetime,
    ) -> None:
        await self._conn.execute(
            delete(_A).where(_A.c.member_id == int(member_id), _A.c.at < forget_before)
        )
        await self._conn.execute(
            insert(_A).values(
                community_id=int(community_id),
                member_id=int(member_id),
                request_key=request_key[:100],
                content=answer,
                prompt_version=prompt_version[:64],
                at=at,
            )
        )

    async def answer_for(self, member_id: MemberId, request_key: str) -> tuple[str, str] | None:
        row = (
            await self._conn.execute(
                select(_A.c.content, _A.c.prompt_version).where(
                    _A.c.member_id == int(member_id), _A.c.request_key == request_key[:100]
                )
            )
        ).first()
        return (str(row.content), str(row.prompt_version)) if row is not None else None

    async def count_since(self, community_id: CommunityId, since: datetime) -> int:
        found = await self._conn.execute(
            select(func.count()).where(_T.c.community_id == int(community_id), _T.c.at >= since)
        )
        return int(found.scalar_one())
