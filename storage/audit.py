"""The audit log table and its repository."""

from __future__ import annotations

import json
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.audit import AuditEntry, AuditLog
from domain.core.ids import CommunityId, MemberId
from storage.base import Base
from storage.registry import implements
from storage.types import UTCDateTime


class AuditRow(Base):
    """Append-only: one row per moderator action (and link, deletion, report decision)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_community_id", "community_id", "id"),
        Index("ix_audit_log_subject", "community_id", "subject_id", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    # Not a foreign key: a community merged into another keeps its history readable,
    # and a member's tombstone keeps the rows that name them.
    community_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column()
    subject_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[str] = mapped_column(Text(), default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


_A = AuditRow.__table__


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=int(row.id),
        community_id=CommunityId(row.community_id),
        kind=row.kind,
        created_at=row.created_at,
        actor_id=MemberId(row.actor_id) if row.actor_id is not None else None,
        subject_id=MemberId(row.subject_id) if row.subject_id is not None else None,
        reason=row.reason,
        data=MappingProxyType(json.loads(row.data or "{}")),
    )


def _where(community_id: CommunityId, subject_id: MemberId | None, kind: str | None) -> list[Any]:
    conditions: list[Any] = [_A.c.community_id == community_id]
    if subject_id is not None:
        conditions.append(_A.c.subject_id == subject_id)
    if kind:
        if kind.endswith("."):
            conditions.append(_A.c.kind.startswith(kind, autoescape=True))
        else:
            conditions.append(_A.c.kind == kind)
    return conditions


@implements(AuditLog)
class SqlAuditLog:
    """Audit entries over SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def write(self, entry: AuditEntry) -> None:
        await self._conn.execute(
            _A.insert().values(
                community_id=entry.community_id,
                kind=entry.kind[:40],
                actor_id=entry.actor_id,
                subject_id=entry.subject_id,
                reason=entry.reason[:500] if entry.reason else None,
                data=json.dumps(dict(entry.data), sort_keys=True, default=str),
                created_at=entry.created_at,
            )
        )

    async def page(
        self,
        community_id: CommunityId,
        *,
        subject_id: MemberId | None = None,
        kind: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> list[AuditEntry]:
        rows = await self._conn.execute(
            select(_A)
            .where(*_where(community_id, subject_id, kind))
            .order_by(_A.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_entry(r) for r in rows]

    async def count(
        self,
        community_id: CommunityId,
        *,
        subject_id: MemberId | None = None,
        kind: str | None = None,
    ) -> int:
        stmt = select(func.count()).select_from(_A).where(*_where(community_id, subject_id, kind))
        return int((await self._conn.execute(stmt)).scalar_one())


__all__ = ["AuditRow", "SqlAuditLog"]
