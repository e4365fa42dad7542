"""The mentoring repository: slots and transitions are conditional UPDATEs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from domain.mentoring.model import (
    OPEN_STATUSES,
    MentorProfile,
    ProfileChanges,
    Session,
    SessionStatus,
    Transition,
)
from domain.mentoring.repository import MentoringRepository
from storage.identity import CommunityRow, MemberRow
from storage.mentoring.tables import (
    MentorProfileRow,
    MentorRatingRow,
    MentorSessionHistoryRow,
    MentorSessionRow,
)
from storage.registry import implements
from storage.sql import insert_ignore

_P = MentorProfileRow.__table__
_S = MentorSessionRow.__table__
_H = MentorSessionHistoryRow.__table__
_R = MentorRatingRow.__table__
_M = MemberRow.__table__
_C = CommunityRow.__table__


def _split(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def _profile(row: Any) -> MentorProfile:
    return MentorProfile(
        community_id=CommunityId(row.community_id),
        member_id=MemberId(row.member_id),
        display_name=row.display_name,
        topics=_split(row.topics),
        bio=row.bio,
        capacity=row.capacity,
        active=row.active,
        availability=row.availability,
        timezone=row.member_tz or row.community_tz,
        session_types=_split(row.session_types),
        paused=row.paused,
        approved=row.approved,
        rating_sum=row.rating_sum,
        rating_count=row.rating_count,
        completed=row.completed,
    )


def _session(row: Any) -> Session:
    return Session(
        id=row.id,
        community_id=CommunityId(row.community_id),
        mentor_id=MemberId(row.mentor_id),
        mentee_id=MemberId(row.mentee_id),
        type=row.type,
        message=row.message,
        status=SessionStatus(row.status),
        requested_at=row.requested_at,
        starts_at=row.starts_at,
        rating=row.stars,
    )


_PROFILE_SELECT = (
    select(
        _P,
        _M.c.display_name,
        _M.c.timezone.label("member_tz"),
        _C.c.timezone.label("community_tz"),
    )
    .join(_M, _M.c.id == _P.c.member_id)
    .join(_C, _C.c.id == _P.c.community_id)
)
_SESSION_SELECT = select(_S, _R.c.stars).outerjoin(_R, _R.c.session_id == _S.c.id)


@implements(MentoringRepository)
class SqlMentoringRepository:
    """Mentoring over one connection; slots and transitions are conditional UPDATEs."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def profile(self, community_id: CommunityId, member_id: MemberId) -> MentorProfile | None:
        row = (
            await self._conn.execute(
                _PROFILE_SELECT.where(
                    _P.c.community_id == int(community_id), _P.c.member_id == int(member_id)
                )
            )
        ).one_or_none()
        return _profile(row) if row is not None else None

    async def save_profile(
        self,
        community_id: CommunityId,
        member_id: MemberId,
        changes: ProfileChanges,
        *,
        default_capacity: int,
        default_types: tuple[str, ...],
        approved: bool,
        now: datetime,
    ) -> bool:
        values: dict[str, Any] = {"updated_at": now}
        if changes.topics is not None:
            values["topics"] = ",".join(changes.topics)
        if changes.bio is not None:
            values["bio"] = changes.bio
        if changes.capacity is not None:
            values["capacity"] = changes.capacity
        if changes.availability is not None:
            values["availability"] = changes.availability
        if changes.session_types is not None:
            values["session_types"] = ",".join(changes.session_types)
        if changes.paused is not None:
            values["paused"] = changes.paused
        created = await insert_ignore(
            self._conn,
            _P,
            {
                "member_id": int(member_id),
                "community_id": int(community_id),
                "topics": values.get("topics", ""),
                "bio": values.get("bio", ""),
                "capacity": values.get("capacity", default_capacity),
                "active": 0,
                "availability": values.get("availability", ""),
                "session_types": values.get("session_types", ",".join(default_types)),
                "paused": values.get("paused", False),
                "approved": approved,
                "rating_sum": 0,
                "rating_count": 0,
                "completed": 0,
                "updated_at": now,
            },
        )
        if created:
            return True
        stmt = update(_P).where(_P.c.member_id == int(member_id)).values(**values)
        if "capacity" in values:
            # Lowering capacity below the sessions already scheduled is refused, not clipped.
            stmt = stmt.where(_P.c.active <= values["capacity"])
        return (await self._conn.execute(stmt)).rowcount == 1

    async def set_approved(
        self, community_id: CommunityId, member_id: MemberId, approved: bool, now: datetime
    ) -> None:
        await self._conn.execute(
            update(_P)
            .where(_P.c.community_id == int(community_id), _P.c.member_id == int(member_id))
            .values(approved=approved, updated_at=now)
        )

    async def profiles(self, community_id: CommunityId) -> list[MentorProfile]:
        rows = await self._conn.execute(
            _PROFILE_SELECT.where(_P.c.community_id == int(community_id)).order_by(_P.c.member_id)
        )
        return [_profile(r) for r in rows]

    async def recent_requests(
        self, community_id: CommunityId, since: datetime
    ) -> dict[MemberId, int]:
        rows = await self._conn.execute(
            select(_S.c.mentor_id, func.count())
            .where(_S.c.community_id == int(community_id), _S.c.requested_at >= since)
            .group_by(_S.c.mentor_id)
        )
        return {MemberId(m): int(n) for m, n in rows}

    async def open_between(self, mentor_id: MemberId, mentee_id: MemberId) -> bool:
        found = await self._conn.execute(
            select(_S.c.id)
            .where(
                _S.c.mentor_id == int(mentor_id),
                _S.c.mentee_id == int(mentee_id),
                _S.c.status.in_([s.value for s in OPEN_STATUSES]),
            )
            .limit(1)
        )
        return found.first() is not None

    async def add_session(
        self,
        community_id: CommunityId,
        mentor_id: MemberId,
        mentee_id: MemberId,
        session_type: str,
        message: str,
        starts_at: datetime | None,
        now: datetime,
    ) -> Session:
        result = await self._conn.execute(
            insert(MentorSessionRow)
            .values(
                community_id=int(community_id),
                mentor_id=int(mentor_id),
                mentee_id=int(mentee_id),
                type=session_type,
                message=message,
                status=SessionStatus.REQUESTED.value,
                requested_at=now,
                starts_at=starts_at,
                updated_at=now,
            )
            .returning(_S.c.id)
        )
        session_id = int(result.scalar_one())
        await self._conn.execute(
            insert(MentorSessionHistoryRow).values(
                session_id=session_id,
                from_status=None,
                to_status=SessionStatus.REQUESTED.value,
                actor_id=int(mentee_id),
                at=now,
            )
        )
        found = await self.session(community_id, session_id)
        assert found is not None
        return found

    async def session(self, community_id: CommunityId, session_id: int) -> Session | None:
        if not 0 < session_id < 2**31:
            return None
        row = (
            await self._conn.execute(
                _SESSION_SELECT.where(_S.c.id == session_id, _S.c.community_id == int(community_id))
            )
        ).one_or_none()
        return _session(row) if row is not None else None

    async def sessions_of(
        self, community_id: CommunityId, member_id: MemberId, *, open_only: bool, limit: int
    ) -> list[Session]:
        open_values = [s.value for s in OPEN_STATUSES]
        status = _S.c.status.in_(open_values) if open_only else _S.c.status.not_in(open_values)
        rows = await self._conn.execute(
            _SESSION_SELECT.where(
                _S.c.community_id == int(community_id),
                or_(_S.c.mentor_id == int(member_id), _S.c.mentee_id == int(member_id)),
                status,
            )
            .order_by(_S.c.id.desc())
            .limit(limit)
        )
        return [_session(r) for r in rows]

    async def move(
        self,
        session_id: int,
        from_statuses: Sequence[SessionStatus],
        to: SessionStatus,
        actor_id: MemberId | None,
        now: datetime,
        reason: str | None = None,
        starts_at: datetime | None = None,
    ) -> bool:
        current = (
            await self._conn.execute(select(_S.c.status).where(_S.c.id == session_id))
        ).scalar_one_or_none()
        values: dict[str, Any] = {"status": to.value, "updated_at": now}
        if starts_at is not None:
            values["starts_at"] = starts_at
        result = await self._conn.execute(
            update(_S)
            .where(
                _S.c.id == session_id,
                _S.c.status.in_([s.value for s in from_statuses]),
                # The status read above must still hold: the history row names it.
                _S.c.status == current,
            )
            .values(**values)
        )
        if result.rowcount != 1:
            return False
        await self._conn.execute(
            insert(MentorSessionHistoryRow).values(
                session_id=session_id,
                from_status=current,
                to_status=to.value,
                actor_id=int(actor_id) if actor_id is not None else None,
                at=now,
                reason=reason[:500] if reason else None,
            )
        )
        return True

    async def take_slot(self, mentor_id: MemberId) -> bool:
        result = await self._conn.execute(
            update(_P)
            .where(_P.c.member_id == int(mentor_id), _P.c.active < _P.c.capacity)
            .values(active=_P.c.active + 1)
        )
        return result.rowcount == 1

    async def free_slot(self, mentor_id: MemberId, completed: bool) -> None:
        values: dict[str, Any] = {"active": _P.c.active - 1}
        if completed:
            values["completed"] = _P.c.completed + 1
        await self._conn.execute(
            update(_P).where(_P.c.member_id == int(mentor_id), _P.c.active > 0).values(**values)
        )

    async def rate(self, session: Session, stars: int, comment: str | None, now: datetime) -> bool:
        inserted = await insert_ignore(
            self._conn,
            _R,
            {
                "session_id": session.id,
                "mentor_id": int(session.mentor_id),
                "mentee_id": int(session.mentee_id),
                "stars": stars,
                "comment": comment[:1000] if comment else None,
                "at": now,
            },
        )
        if inserted:
            await self._conn.execute(
                update(_P)
                .where(_P.c.member_id == int(session.mentor_id))
                .values(rating_sum=_P.c.rating_sum + stars, rating_count=_P.c.rating_count + 1)
            )
        return inserted

    async def add_comment(self, session_id: int, comment: str) -> bool | None:
        # Conditional: two submissions of the comment box store the first one only.
        done = await self._conn.execute(
            update(_R)
            .where(_R.c.session_id == session_id, _R.c.comment.is_(None))
            .values(comment=comment[:1000])
        )
        if done.rowcount:
            return True
        rated = await self._conn.execute(
            select(_R.c.session_id).where(_R.c.session_id == session_id)
        )
        return False if rated.first() is not None else None

    async def history(self, session_id: int) -> list[Transition]:
        rows = await self._conn.execute(
            select(_H).where(_H.c.session_id == session_id).order_by(_H.c.id)
        )
        return [
            Transition(
                session_id=r.session_id,
                from_status=SessionStatus(r.from_status) if r.from_status else None,
                to_status=SessionStatus(r.to_status),
                actor_id=MemberId(r.actor_id) if r.actor_id is not None else None,
                at=r.at,
                reason=r.reason,
            )
            for r in rows
        ]

    async def low_ratings(
        self, community_id: CommunityId, at_most: int, limit: int
    ) -> list[tuple[Session, int, str | None]]:
        rows = await self._conn.execute(
            select(_S, _R.c.stars, _R.c.comment)
            .join(_R, and_(_R.c.session_id == _S.c.id, _R.c.stars <= at_most))
            .where(_S.c.community_id == int(community_id))
            .order_by(_R.c.at.desc())
            .limit(limit)
        )
        return [(_session(r), int(r.stars), r.comment) for r in rows]

    async def with_status(
        self, community_id: CommunityId, status: SessionStatus, limit: int
    ) -> list[Session]:
        rows = await self._conn.execute(
            _SESSION_SELECT.where(
                _S.c.community_id == int(community_id), _S.c.status == status.value
            )
            .order_by(_S.c.id.desc())
            .limit(limit)
        )
        return [_session(r) for r in rows]
