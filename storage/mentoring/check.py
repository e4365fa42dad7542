"""A `guildhall db check` for mentoring: every mentor's used slots match their sessions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.mentoring.tables import MentorProfileRow, MentorSessionRow


@dataclass(frozen=True, slots=True)
class SlotMismatch:
    """A mentor whose used slots differ from their scheduled sessions."""

    mentor_id: int
    active: int
    scheduled: int


async def slot_mismatches(engine: AsyncEngine) -> list[SlotMismatch]:
    """Mentors whose `active` count differs from their scheduled sessions."""
    p, s = MentorProfileRow.__table__, MentorSessionRow.__table__
    scheduled = (
        select(s.c.mentor_id, func.count().label("n"))
        .where(s.c.status == "scheduled")
        .group_by(s.c.mentor_id)
        .subquery()
    )
    stmt = (
        select(p.c.member_id, p.c.active, func.coalesce(scheduled.c.n, 0))
        .select_from(p.outerjoin(scheduled, scheduled.c.mentor_id == p.c.member_id))
        .where(p.c.active != func.coalesce(scheduled.c.n, 0))
        .order_by(p.c.member_id)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [SlotMismatch(int(r[0]), int(r[1]), int(r[2])) for r in rows]


async def mentoring_problems(engine: AsyncEngine) -> list[str]:
    """What `guildhall db check` reports for mentoring, as lines; empty when sound."""
    return [
        f"slot_mismatches: mentor {m.mentor_id} has {m.active} slot(s) in use"
        f" but {m.scheduled} scheduled session(s)"
        for m in await slot_mismatches(engine)
    ]
