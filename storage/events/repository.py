"""The events repository: Core statements over the tables in `storage.events.tables`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from domain.events.model import (
    Answer,
    Event,
    EventId,
    EventStatus,
    EventView,
    NewEvent,
    Occurrence,
    OccurrenceId,
    Rsvp,
)
from domain.events.repository import CountChange, EventRepository, Listing
from storage.events.rows import (
    ATTENDANCE as _A,
)
from storage.events.rows import (
    EVENT as _EVENT,
)
from storage.events.rows import (
    EVENTS as _E,
)
from storage.events.rows import (
    LIVE as _LIVE,
)
from storage.events.rows import (
    MEMBERS as _M,
)
from storage.events.rows import (
    OCCURRENCES as _O,
)
from storage.events.rows import (
    RSVPS as _R,
)
from storage.events.rows import (
    VIEW as _VIEW,
)
from storage.events.rows import (
    event_of as _event,
)
from storage.events.rows import (
    occurrence_of as _occurrence,
)
from storage.events.rows import (
    rsvp_of as _rsvp,
)
from storage.events.rows import (
    view_of as _view,
)
from storage.registry import implements
from storage.sql import insert_ignore, upsert


@implements(EventRepository)
class SqlEventRepository:
    """Every RSVP is one locked read, one upsert and one counter update."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @property
    def _is_pg(self) -> bool:
        return self._conn.dialect.name == "postgresql"

    async def add(self, new: NewEvent) -> EventView:
        minutes = int(new.duration.total_seconds() // 60)
        lead = int(new.signup_lead.total_seconds() // 60) if new.signup_lead is not None else None
        event_id = (
            await self._conn.execute(
                _E.insert()
                .values(
                    community_id=new.community_id,
                    host_id=new.host_id,
                    title=new.title,
                    description=new.description,
                    location=new.where,
                    timezone=new.timezone,
                    duration_minutes=max(minutes, 1),
                    points=new.points,
                    rule=new.rule,
                    signup_lead_minutes=lead,
                    status=str(EventStatus.SCHEDULED),
                    sequence=0,
                    occurrences=len(new.starts),
                    created_at=new.created_at,
                    updated_at=new.created_at,
                )
                .returning(_E.c.id)
            )
        ).scalar_one()
        await self._conn.execute(
            _O.insert(),
            [
                {
                    "event_id": event_id,
                    "community_id": new.community_id,
                    "number": n,
                    "starts_at": start,
                    "ends_at": start + new.duration,
                    "capacity": new.capacity,
                    "going": 0,
                    "maybe": 0,
                    "waitlisted": 0,
                    "seq": 0,
                    "status": str(EventStatus.SCHEDULED),
                    "planned": False,
                }
                for n, start in enumerate(new.starts, 1)
            ],
        )
        view = await self.view(new.community_id, EventId(event_id), 1, new.created_at)
        assert view is not None
        return view

    async def event(self, community_id: CommunityId, event_id: EventId) -> Event | None:
        row = (
            await self._conn.execute(
                _EVENT.where(_E.c.id == event_id, _E.c.community_id == community_id)
            )
        ).first()
        return _event(row) if row else None

    async def view(
        self, community_id: CommunityId, event_id: EventId, number: int | None, now: datetime
    ) -> EventView | None:
        base = _VIEW.where(_O.c.event_id == event_id, _O.c.community_id == community_id)
        if number is not None:
            row = (await self._conn.execute(base.where(_O.c.number == number))).first()
            return _view(row) if row else None
        for stmt in (
            base.where(_O.c.ends_at > now, _O.c.status == str(EventStatus.SCHEDULED)).order_by(
                _O.c.starts_at
            ),
            base.where(_O.c.ends_at > now).order_by(_O.c.starts_at),
            base.order_by(_O.c.number.desc()),
        ):
            row = (await self._conn.execute(stmt.limit(1))).first()
            if row is not None:
                return _view(row)
        return None

    async def view_of(self, occurrence_id: OccurrenceId) -> EventView | None:
        row = (await self._conn.execute(_VIEW.where(_O.c.id == occurrence_id))).first()
        return _view(row) if row else None

    async def occurrences(self, event_id: EventId) -> list[Occurrence]:
        rows = await self._conn.execute(
            select(_O).where(_O.c.event_id == event_id).order_by(_O.c.number)
        )
        return [_occurrence(r) for r in rows]

    async def lock(self, occurrence_id: OccurrenceId) -> tuple[Occurrence, int] | None:
        stmt = select(_O).where(_O.c.id == occurrence_id)
        if self._is_pg:
            # SQLite needs nothing: its single writer already runs one transaction at a time.
            stmt = stmt.with_for_update()
        row = (await self._conn.execute(stmt)).first()
        return (_occurrence(row), int(row.seq)) if row else None

    async def rsvp_of(self, occurrence_id: OccurrenceId, member_id: MemberId) -> Rsvp | None:
        rows = await self._rsvp_rows(
            and_(_R.c.occurrence_id == occurrence_id, _R.c.member_id == member_id)
        )
        return rows[0] if rows else None

    async def _rsvp_rows(self, where: Any, limit: int | None = None) -> list[Rsvp]:
        attended = (
            select(func.count())
            .select_from(_A)
            .where(_A.c.occurrence_id == _R.c.occurrence_id, _A.c.member_id == _R.c.member_id)
            .scalar_subquery()
        )
        stmt = (
            select(_R, _M.c.display_name, attended.label("attended"))
            .join(_M, _M.c.id == _R.c.member_id)
            .where(where)
            .order_by(_R.c.seq)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_rsvp(r) for r in await self._conn.execute(stmt)]

    async def answer(
        self,
        occurrence_id: OccurrenceId,
        member_id: MemberId,
        answer: Answer,
        seq: int,
        change: CountChange,
        now: datetime,
    ) -> None:
        await upsert(
            self._conn,
            _R,
            [
                {
                    "occurrence_id": occurrence_id,
                    "member_id": member_id,
                    "answer": str(answer),
                    "seq": seq,
                    "updated_at": now,
                }
            ],
            conflict=("occurrence_id", "member_id"),
            set_="answer = excluded.answer, seq = excluded.seq, updated_at = excluded.updated_at",
        )
        await self._conn.execute(
            update(_O)
            .where(_O.c.id == occurrence_id)
            .values(
                going=_O.c.going + change.going,
                maybe=_O.c.maybe + change.maybe,
                waitlisted=_O.c.waitlisted + change.waitlisted,
                seq=func.max(_O.c.seq, seq) if not self._is_pg else func.greatest(_O.c.seq, seq),
            )
        )

    async def waitlist(self, occurrence_id: OccurrenceId, limit: int) -> list[Rsvp]:
        return await self._rsvp_rows(
            and_(_R.c.occurrence_id == occurrence_id, _R.c.answer == str(Answer.WAITLISTED)),
            limit,
        )

    async def position(self, occurrence_id: OccurrenceId, seq: int) -> int:
        return int(
            (
                await self._conn.execute(
                    select(func.count())
                    .select_from(_R)
                    .where(
                        _R.c.occurrence_id == occurrence_id,
                        _R.c.answer == str(Answer.WAITLISTED),
                        _R.c.seq <= seq,
                    )
                )
            ).scalar_one()
        )

    async def rsvps(self, occurrence_id: OccurrenceId, answers: Sequence[Answer]) -> list[Rsvp]:
        return await self._rsvp_rows(
            and_(_R.c.occurrence_id == occurrence_id, _R.c.answer.in_([str(a) for a in answers]))
        )

    async def set_capacity(self, occurrence_id: OccurrenceId, capacity: int | None) -> None:
        await self._conn.execute(
            update(_O).where(_O.c.id == occurrence_id).values(capacity=capacity)
        )

    async def cancel_occurrences(
        self, event_id: EventId, occurrence_ids: Sequence[OccurrenceId] | None, now: datetime
    ) -> list[OccurrenceId]:
        where = [_O.c.event_id == event_id, _O.c.status == str(EventStatus.SCHEDULED)]
        if occurrence_ids is None:
            where.append(_O.c.starts_at > now)
        else:
            where.append(_O.c.id.in_(list(occurrence_ids)))
        rows = await self._conn.execute(
            update(_O).where(*where).values(status=str(EventStatus.CANCELLED)).returning(_O.c.id)
        )
        return sorted(OccurrenceId(r[0]) for r in rows)

    async def cancel_event(self, event_id: EventId) -> bool:
        result = await self._conn.execute(
            update(_E)
            .where(_E.c.id == event_id, _E.c.status == str(EventStatus.SCHEDULED))
            .values(status=str(EventStatus.CANCELLED))
        )
        return result.rowcount == 1

    async def edit_details(
        self, event_id: EventId, title: str, where: str, description: str
    ) -> None:
        await self._conn.execute(
            update(_E)
            .where(_E.c.id == event_id)
            .values(title=title, location=where, description=description)
        )

    async def touch(self, event_id: EventId, now: datetime) -> None:
        await self._conn.execute(
            update(_E).where(_E.c.id == event_id).values(sequence=_E.c.sequence + 1, updated_at=now)
        )

    async def attend(
        self,
        occurrence_id: OccurrenceId,
        member_id: MemberId,
        marked_by: MemberId,
        points: int,
        now: datetime,
    ) -> bool:
        return await insert_ignore(
            self._conn,
            _A,
            {
                "occurrence_id": occurrence_id,
                "member_id": member_id,
                "marked_by": marked_by,
                "points": points,
                "at": now,
            },
        )

    async def attended_count(self, member_id: MemberId) -> int:
        return int(
            (
                await self._conn.execute(
                    select(func.count()).select_from(_A).where(_A.c.member_id == member_id)
                )
            ).scalar_one()
        )

    async def search(
        self,
        community_id: CommunityId,
        listing: Listing,
        member_id: MemberId,
        now: datetime,
        limit: int,
        offset: int,
    ) -> tuple[list[EventView], int]:
        where: list[Any] = [_O.c.community_id == community_id]
        order: Any = _O.c.starts_at
        scheduled = str(EventStatus.SCHEDULED)
        if listing is Listing.UPCOMING:
            inner = _O.alias("later")
            next_number = (
                select(func.min(inner.c.number))
                .where(
                    inner.c.event_id == _O.c.event_id,
                    inner.c.ends_at > now,
                    inner.c.status == scheduled,
                )
                .scalar_subquery()
            )
            where += [_O.c.number == next_number, _E.c.status == scheduled]
        elif listing is Listing.MINE:
            mine = select(_R.c.occurrence_id).where(
                _R.c.member_id == member_id, _R.c.answer.in_([str(a) for a in _LIVE])
            )
            where += [_O.c.id.in_(mine), _O.c.ends_at > now]
        else:
            where += [_O.c.ends_at <= now, _O.c.status == scheduled]
            order = _O.c.starts_at.desc()
        joined = _O.join(_E, _E.c.id == _O.c.event_id)
        total = (
            await self._conn.execute(select(func.count()).select_from(joined).where(*where))
        ).scalar_one()
        rows = await self._conn.execute(
            _VIEW.where(*where).order_by(order, _O.c.id).limit(limit).offset(offset)
        )
        return [_view(r) for r in rows], int(total)

    async def unplanned(self, before: datetime, limit: int) -> list[Occurrence]:
        rows = await self._conn.execute(
            select(_O)
            .where(
                _O.c.planned.is_(False),
                _O.c.status == str(EventStatus.SCHEDULED),
                _O.c.starts_at < before,
            )
            .order_by(_O.c.starts_at, _O.c.id)
            .limit(limit)
        )
        return [_occurrence(r) for r in rows]

    async def mark_planned(self, occurrence_ids: Sequence[OccurrenceId]) -> None:
        if occurrence_ids:
            await self._conn.execute(
                update(_O).where(_O.c.id.in_(list(occurrence_ids))).values(planned=True)
            )
