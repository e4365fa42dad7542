"""Reports: one row each, decided once by a conditional update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.moderation.limits import RateCounters
from domain.moderation.model import Report, ReportStatus
from domain.moderation.repository import ReportRepository
from storage.base import Base
from storage.registry import implements
from storage.sql import upsert
from storage.types import UTCDateTime


class ReportRow(Base):
    """A member's report; `reporter_id` is never shown to the subject."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_community_status", "community_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


_R = ReportRow.__table__


def _report(row: Any) -> Report:
    return Report(
        id=int(row.id),
        community_id=CommunityId(row.community_id),
        reporter_id=MemberId(row.reporter_id),
        subject_id=MemberId(row.subject_id),
        reason=row.reason,
        status=ReportStatus(row.status),
        created_at=row.created_at,
        decided_by=MemberId(row.decided_by) if row.decided_by is not None else None,
        decided_at=row.decided_at,
    )


@implements(ReportRepository)
class SqlReportRepository:
    """The report repository on the SQL database."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self,
        community_id: CommunityId,
        reporter_id: MemberId,
        subject_id: MemberId,
        reason: str,
        at: datetime,
    ) -> Report:
        new_id = (
            await self._conn.execute(
                _R.insert()
                .values(
                    community_id=community_id,
                    reporter_id=reporter_id,
                    subject_id=subject_id,
                    reason=reason,
                    status=str(ReportStatus.OPEN),
                    created_at=at,
                )
                .returning(_R.c.id)
            )
        ).scalar_one()
        return Report(
            int(new_id), community_id, reporter_id, subject_id, reason, ReportStatus.OPEN, at
        )

    async def get(self, community_id: CommunityId, report_id: int) -> Report | None:
        row = (
            await self._conn.execute(
                select(_R).where(_R.c.community_id == community_id, _R.c.id == report_id)
            )
        ).first()
        return _report(row) if row else None

    async def decide(
        self, report_id: int, status: ReportStatus, moderator: MemberId, at: datetime
    ) -> bool:
        result = await self._conn.execute(
            update(_R)
            .where(_R.c.id == report_id, _R.c.status == str(ReportStatus.OPEN))
            .values(status=str(status), decided_by=moderator, decided_at=at)
        )
        return result.rowcount == 1


class RateCounterRow(Base):
    """A member's uses of one command class in the current minute (one row, reused)."""

    __tablename__ = "rate_counters"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(String(40), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    uses: Mapped[int] = mapped_column()


_C = RateCounterRow.__table__


@implements(RateCounters)
class SqlRateCounters:
    """An upsert whose WHERE refuses the use past the limit: concurrent processes share it."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def hit(self, member_id: MemberId, klass: str, window: datetime, limit: int) -> bool:
        # Through the shared text upsert, compiled once per limit: the dialects'
        # on_conflict_do_update() is compiled again on every call (storage/sql.py).
        t = "rate_counters"
        same = f"{t}.window_start = excluded.window_start"
        result = await upsert(
            self._conn,
            _C,
            [{"member_id": member_id, "klass": klass, "window_start": window, "uses": 1}],
            conflict=("member_id", "klass"),
            set_=f"uses = CASE WHEN {same} THEN {t}.uses + 1 ELSE 1 END,"
            f" window_start = excluded.window_start"
            f" WHERE NOT ({same}) OR {t}.uses < {int(limit)}",
            returning=("uses",),
        )
        return result.first() is not None
