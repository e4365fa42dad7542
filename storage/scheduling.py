"""The scheduler's lease, job runs, and the deliverer's side of the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.ids import CommunityId, MemberId
from domain.core.scheduling import (
    Backlog,
    ClaimedAnnouncement,
    FailedAnnouncement,
    JobRun,
    JobRunRepository,
    LeaseRepository,
    OutboxQueue,
    OutboxStats,
    WorkspaceRef,
)
from storage.base import Base
from storage.identity import WorkspaceRow
from storage.outbox import OutboxRow
from storage.registry import implements
from storage.sql import insert_ignore
from storage.types import UTCDateTime


class SchedulerLeaseRow(Base):
    """Who runs the scheduler: renewed by its holder, taken over once it expires."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobRunRow(Base):
    """The last scheduled time each job ran for; a restart resumes from here."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text())
    skipped: Mapped[int] = mapped_column(default=0, server_default="0")
    # Who runs `last_scheduled_at` now; cleared when the run finishes. Still set
    # after its leader died: the next leader resumes that run.
    running_by: Mapped[str | None] = mapped_column(String(100))


class OutboxDeliveryRow(Base):
    """An announcement reached one workspace; a retry never sends there again."""

    __tablename__ = "outbox_deliveries"

    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    message: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime())


_L = SchedulerLeaseRow.__table__
_J = JobRunRow.__table__
_D = OutboxDeliveryRow.__table__
_O = OutboxRow.__table__
_W = WorkspaceRow.__table__


@implements(LeaseRepository)
class SqlLeaseRepository:
    """The scheduler lease, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        # One conditional UPDATE: of two contenders for an expired lease, the
        # second finds the row no longer expired and changes nothing.
        result = await self._conn.execute(
            update(_L)
            .where(_L.c.name == name, or_(_L.c.holder == holder, _L.c.expires_at <= now))
            .values(holder=holder, expires_at=until, renewed_at=now)
        )
        if result.rowcount == 1:
            return True
        return await insert_ignore(
            self._conn,
            _L,
            {"name": name, "holder": holder, "expires_at": until, "renewed_at": now},
        )

    async def release(self, name: str, holder: str, now: datetime) -> None:
        await self._conn.execute(
            update(_L).where(_L.c.name == name, _L.c.holder == holder).values(expires_at=now)
        )

    async def holder(self, name: str, now: datetime) -> str | None:
        row = (
            await self._conn.execute(
                select(_L.c.holder).where(_L.c.name == name, _L.c.expires_at > now)
            )
        ).first()
        return row.holder if row else None


def _job_run(row: Any) -> JobRun:
    return JobRun(
        row.name,
        row.last_scheduled_at,
        row.last_finished_at,
        row.last_error,
        row.skipped,
        row.running_by,
    )


@implements(JobRunRepository)
class SqlJobRunRepository:
    """Job runs, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, name: str) -> JobRun | None:
        row = (await self._conn.execute(select(_J).where(_J.c.name == name))).first()
        return _job_run(row) if row else None

    async def start(self, name: str, scheduled_at: datetime) -> bool:
        return await insert_ignore(
            self._conn, _J, {"name": name, "last_scheduled_at": scheduled_at, "skipped": 0}
        )

    async def claim(self, name: str, scheduled_at: datetime, holder: str | None = None) -> bool:
        result = await self._conn.execute(
            update(_J)
            .where(_J.c.name == name, _J.c.last_scheduled_at < scheduled_at)
            .values(last_scheduled_at=scheduled_at, running_by=holder)
        )
        return result.rowcount == 1

    async def resume(self, name: str, scheduled_at: datetime, was: str, holder: str) -> bool:
        # Conditional on the dead runner's name: of two new leaders, one resumes.
        result = await self._conn.execute(
            update(_J)
            .where(
                _J.c.name == name,
                _J.c.last_scheduled_at == scheduled_at,
                _J.c.running_by == was,
            )
            .values(running_by=holder)
        )
        return result.rowcount == 1

    async def finish(
        self, name: str, scheduled_at: datetime, now: datetime, error: str | None
    ) -> None:
        await self._conn.execute(
            update(_J)
            .where(_J.c.name == name, _J.c.last_scheduled_at == scheduled_at)
            .values(last_finished_at=now, last_error=error, running_by=None)
        )

    async def skipped(self, name: str) -> None:
        await self._conn.execute(
            update(_J).where(_J.c.name == name).values(skipped=_J.c.skipped + 1)
        )

    async def all(self) -> list[JobRun]:
        return [_job_run(r) for r in await self._conn.execute(select(_J).order_by(_J.c.name))]


def _claimed(row: Any, now: datetime) -> ClaimedAnnouncement:
    return ClaimedAnnouncement(
        id=row.id,
        community_id=CommunityId(row.community_id),
        kind=row.kind,
        dedupe_key=row.dedupe_key,
        target=row.target,
        channel_kind=row.channel_kind,
        member_id=MemberId(row.member_id) if row.member_id is not None else None,
        anchor=row.anchor,
        payload=dict(row.payload),
        attempts=row.attempts,
        claimed_before=row.first_claimed_at if row.first_claimed_at < now else None,
    )


@implements(OutboxQueue)
class SqlOutboxQueue:
    """The outbox's delivery side: claim, finish, retry, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def claim(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[ClaimedAnnouncement]:
        due = (
            select(_O.c.id)
            .where(
                _O.c.status == "pending",
                _O.c.not_before <= now,
                or_(_O.c.claimed_until.is_(None), _O.c.claimed_until <= now),
            )
            .order_by(_O.c.not_before, _O.c.id)
            .limit(limit)
        )
        if self._conn.dialect.name == "postgresql":
            # Several deliverers: each skips the rows another is claiming
            # instead of waiting for them.
            due = due.with_for_update(skip_locked=True)
        # On SQLite the claim runs in the single writer's BEGIN IMMEDIATE
        # transaction, so two claims never interleave.
        rows = await self._conn.execute(
            update(_O)
            .where(_O.c.id.in_(due.scalar_subquery()))
            .values(
                claimed_by=worker,
                claimed_until=until,
                first_claimed_at=func.coalesce(_O.c.first_claimed_at, literal(now, UTCDateTime())),
            )
            .returning(*_O.c)
        )
        return sorted((_claimed(r, now) for r in rows), key=lambda a: a.id)

    async def renew(self, outbox_id: int, worker: str, until: datetime) -> bool:
        result = await self._conn.execute(
            self._owned(outbox_id, worker).values(claimed_until=until)
        )
        return result.rowcount == 1

    async def workspaces(self, community_id: CommunityId) -> list[WorkspaceRef]:
        rows = await self._conn.execute(
            select(_W.c.platform, _W.c.workspace_id)
            .where(_W.c.community_id == community_id)
            .order_by(_W.c.platform, _W.c.workspace_id)
        )
        return [WorkspaceRef(r.platform, r.workspace_id) for r in rows]

    async def delivered_to(self, outbox_id: int) -> set[tuple[str, str]]:
        rows = await self._conn.execute(
            select(_D.c.platform, _D.c.workspace_id).where(_D.c.outbox_id == outbox_id)
        )
        return {(r.platform, r.workspace_id) for r in rows}

    async def record_delivery(
        self, outbox_id: int, platform: str, workspace_id: str, message: str | None, now: datetime
    ) -> bool:
        return await insert_ignore(
            self._conn,
            _D,
            {
                "outbox_id": outbox_id,
                "platform": platform,
                "workspace_id": workspace_id,
                "message": message[:200] if message else None,
                "delivered_at": now,
            },
        )

    def _owned(self, outbox_id: int, worker: str) -> Any:
        return update(_O).where(
            _O.c.id == outbox_id, _O.c.claimed_by == worker, _O.c.status == "pending"
        )

    async def mark_sent(self, outbox_id: int, worker: str, now: datetime) -> bool:
        result = await self._conn.execute(
            self._owned(outbox_id, worker).values(
                status="sent", sent_at=now, claimed_by=None, claimed_until=None
            )
        )
        return result.rowcount == 1

    async def retry(self, outbox_id: int, worker: str, not_before: datetime, error: str) -> bool:
        result = await self._conn.execute(
            self._owned(outbox_id, worker).values(
                attempts=_O.c.attempts + 1,
                not_before=not_before,
                last_error=error[:1000],
                claimed_by=None,
                claimed_until=None,
            )
        )
        return result.rowcount == 1

    async def postpone(self, outbox_id: int, worker: str, not_before: datetime) -> bool:
        result = await self._conn.execute(
            self._owned(outbox_id, worker).values(
                not_before=not_before, claimed_by=None, claimed_until=None
            )
        )
        return result.rowcount == 1

    async def fail(self, outbox_id: int, worker: str, error: str) -> bool:
        result = await self._conn.execute(
            self._owned(outbox_id, worker).values(
                status="failed",
                attempts=_O.c.attempts + 1,
                last_error=error[:1000],
                claimed_by=None,
                claimed_until=None,
            )
        )
        return result.rowcount == 1

    async def next_due(self, now: datetime) -> datetime | None:
        return (
            await self._conn.execute(
                select(func.min(_O.c.not_before)).where(
                    _O.c.status == "pending", _O.c.not_before > now
                )
            )
        ).scalar_one_or_none()


@implements(OutboxStats)
class SqlOutboxStats:
    """Outbox counts for the schedule view, in SQL."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def backlog(self, community_id: CommunityId, now: datetime) -> Backlog:
        mine = _O.c.community_id == community_id
        counts = {
            r.status: r.n
            for r in await self._conn.execute(
                select(_O.c.status, func.count().label("n")).where(mine).group_by(_O.c.status)
            )
        }
        due = (
            await self._conn.execute(
                select(func.count()).where(mine, _O.c.status == "pending", _O.c.not_before <= now)
            )
        ).scalar_one()
        retrying = (
            await self._conn.execute(
                select(func.count()).where(mine, _O.c.status == "pending", _O.c.attempts > 0)
            )
        ).scalar_one()
        failures = await self._conn.execute(
            select(_O).where(mine, _O.c.status == "failed").order_by(_O.c.id.desc()).limit(5)
        )
        return Backlog(
            pending=counts.get("pending", 0),
            due=due,
            retrying=retrying,
            failed=counts.get("failed", 0),
            sent=counts.get("sent", 0),
            recent_failures=[
                FailedAnnouncement(r.id, r.kind, r.dedupe_key, r.last_error or "", r.attempts)
                for r in failures
            ],
        )
