"""Quests, per-member progress and manual submissions (tables: `storage.quest_tables`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from domain.quests.model import (
    Difficulty,
    Goal,
    NewQuest,
    Progress,
    Quest,
    Repeat,
    Submission,
    SubmissionStatus,
)
from domain.quests.repository import QuestRepository
from storage.identity import CommunityRow
from storage.quest_tables import QuestProgressRow, QuestRow, QuestSubmissionRow
from storage.registry import implements
from storage.sql import insert_ignore, prepare, upsert, upsert_parts
from storage.types import UTCDateTime

_Q = QuestRow.__table__
_P = QuestProgressRow.__table__
_S = QuestSubmissionRow.__table__
_C = CommunityRow.__table__


# Every projector batch reads the open quests: prepared once (storage.sql.prepare).
_OPEN_BETWEEN = prepare(
    select(_Q)
    .where(
        _Q.c.community_id == bindparam("b_community"),
        _Q.c.ends_at > bindparam("b_first", type_=UTCDateTime()),
        _Q.c.starts_at <= bindparam("b_last", type_=UTCDateTime()),
    )
    .order_by(_Q.c.ends_at, _Q.c.id)
)


def _quest(r: Any) -> Quest:
    return Quest(
        id=r.id,
        community_id=CommunityId(r.community_id),
        title=r.title,
        description=r.description,
        goal=Goal(r.goal),
        target=r.target,
        reward_points=r.reward_points,
        reward_xp=r.reward_xp,
        difficulty=Difficulty(r.difficulty),
        repeat=Repeat(r.repeat),
        starts_at=r.starts_at,
        ends_at=r.ends_at,
        created_by=None if r.created_by is None else MemberId(r.created_by),
        rotation_key=r.rotation_key,
    )


def _submission(r: Any) -> Submission:
    return Submission(
        id=r.id,
        quest_id=r.quest_id,
        community_id=CommunityId(r.community_id),
        member_id=MemberId(r.member_id),
        period=r.period,
        proof=r.proof,
        status=SubmissionStatus(r.status),
        created_at=r.created_at,
        reviewer_id=None if r.reviewer_id is None else MemberId(r.reviewer_id),
        reason=r.reason,
        reviewed_at=r.reviewed_at,
    )


def _values(q: NewQuest) -> dict[str, Any]:
    return {
        "community_id": q.community_id,
        "title": q.title,
        "description": q.description,
        "goal": q.goal.value,
        "target": q.target,
        "reward_points": q.reward_points,
        "reward_xp": q.reward_xp,
        "difficulty": q.difficulty.value,
        "repeat": q.repeat.value,
        "starts_at": q.starts_at,
        "ends_at": q.ends_at,
        "created_by": q.created_by,
        "created_at": q.created_at,
        "rotation_key": q.rotation_key,
    }


def _progress_upsert(conn: AsyncConnection, values: dict[str, Any], new_value: Any) -> Any:
    insert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_P).values(values)
    return stmt.on_conflict_do_update(
        index_elements=["quest_id", "member_id", "period"],
        set_={"progress": new_value(stmt.excluded.progress)},
    )


# Built once with bound parameters: asked on most activities.
_OPEN_AT = (
    select(_Q)
    .where(
        _Q.c.community_id == bindparam("b_community_id"),
        _Q.c.ends_at > bindparam("b_at"),
        _Q.c.starts_at <= bindparam("b_at"),
    )
    .order_by(_Q.c.ends_at, _Q.c.id)
)


@implements(QuestRepository)
class SqlQuestRepository:
    """Quests over SQL, one instance per unit of work.

    `open_at` remembers the open quests it read (per community and instant):
    one activity asks once per counter it moves, and a /checkin's chain of
    activities asked the same question four times. Creating a quest forgets
    them, so a quest created in this transaction is seen.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self._open: dict[tuple[CommunityId, datetime], list[Quest]] = {}
        # The projector asks once per pass of a batch, and its later passes (the
        # XP and unlocks it derived) fall within the first pass's span.
        self._between: dict[CommunityId, tuple[datetime, datetime, list[Quest]]] = {}

    async def create(self, quest: NewQuest) -> Quest:
        self._open.clear()
        self._between.clear()
        new_id = (
            await self._conn.execute(_Q.insert().values(_values(quest)).returning(_Q.c.id))
        ).scalar_one()
        found = await self.get(new_id)
        assert found is not None
        return found

    async def create_once(self, quest: NewQuest) -> Quest | None:
        self._open.clear()
        self._between.clear()
        if not await insert_ignore(self._conn, _Q, _values(quest)):
            return None
        row = (
            await self._conn.execute(
                select(_Q).where(
                    _Q.c.community_id == quest.community_id,
                    _Q.c.rotation_key == quest.rotation_key,
                )
            )
        ).first()
        return _quest(row) if row else None

    async def get(self, quest_id: int) -> Quest | None:
        row = (await self._conn.execute(select(_Q).where(_Q.c.id == quest_id))).first()
        return _quest(row) if row else None

    async def open_at(
        self, community_id: CommunityId, at: datetime, goal: str | None = None
    ) -> list[Quest]:
        quests = self._open.get((community_id, at))
        if quests is None:
            rows = await self._conn.execute(_OPEN_AT, {"b_community_id": community_id, "b_at": at})
            quests = self._open[(community_id, at)] = [_quest(r) for r in rows]
        if goal is None:
            return list(quests)
        return [q for q in quests if q.goal == goal]

    async def open_between(
        self, community_id: CommunityId, first: datetime, last: datetime
    ) -> list[Quest]:
        held = self._between.get(community_id)
        if held is not None and held[0] <= first and last <= held[1]:
            return [q for q in held[2] if q.ends_at > first and q.starts_at <= last]
        rows = await _OPEN_BETWEEN.rows(
            self._conn, {"b_community": community_id, "b_first": first, "b_last": last}
        )
        quests = [_quest(r) for r in rows]
        self._between[community_id] = (first, last, quests)
        return list(quests)

    async def add_progress_many(
        self, amounts: dict[tuple[int, MemberId, str], int]
    ) -> dict[tuple[int, MemberId, str], int]:
        keys = sorted(amounts)  # one lock order for concurrent projectors
        out: dict[tuple[int, MemberId, str], int] = {}
        for part in upsert_parts(self._conn, keys):
            rows = [
                {"quest_id": q, "member_id": m, "period": p, "progress": amounts[(q, m, p)]}
                for q, m, p in part
            ]
            result = await upsert(
                self._conn,
                _P,
                rows,
                conflict=("quest_id", "member_id", "period"),
                set_="progress = quest_progress.progress + excluded.progress",
                returning=("quest_id", "member_id", "period", "progress"),
            )
            out.update(
                {(r.quest_id, MemberId(r.member_id), r.period): int(r.progress) for r in result}
            )
        return out

    async def add_progress(
        self, quest_id: int, member_id: MemberId, period: str, amount: int
    ) -> int:
        values = {
            "quest_id": quest_id,
            "member_id": member_id,
            "period": period,
            "progress": amount,
        }
        stmt = _progress_upsert(self._conn, values, lambda new: _P.c.progress + new)
        return int((await self._conn.execute(stmt.returning(_P.c.progress))).scalar_one())

    async def raise_progress(
        self, quest_id: int, member_id: MemberId, period: str, value: int
    ) -> None:
        values = {"quest_id": quest_id, "member_id": member_id, "period": period, "progress": value}
        await self._conn.execute(
            _progress_upsert(
                self._conn,
                values,
                lambda new: case((new > _P.c.progress, new), else_=_P.c.progress),
            )
        )

    async def complete(
        self, quest_id: int, member_id: MemberId, period: str, target: int, at: datetime
    ) -> bool:
        result = await self._conn.execute(
            update(_P)
            .where(
                _P.c.quest_id == quest_id,
                _P.c.member_id == member_id,
                _P.c.period == period,
                _P.c.progress >= target,
                _P.c.completed_at.is_(None),
            )
            .values(completed_at=at)
        )
        return result.rowcount == 1

    async def progress(self, member_id: MemberId, keys: list[tuple[int, str]]) -> list[Progress]:
        if not keys:
            return []
        rows = await self._conn.execute(
            select(_P).where(
                _P.c.member_id == member_id,
                or_(*(and_(_P.c.quest_id == q, _P.c.period == p) for q, p in keys)),
            )
        )
        return [
            Progress(r.quest_id, MemberId(r.member_id), r.period, r.progress, r.completed_at)
            for r in rows
        ]

    async def add_submission(
        self, quest: Quest, member_id: MemberId, period: str, proof: str, at: datetime
    ) -> Submission | None:
        values = {
            "quest_id": quest.id,
            "community_id": quest.community_id,
            "member_id": member_id,
            "period": period,
            "proof": proof,
            "status": SubmissionStatus.PENDING.value,
            "created_at": at,
        }
        if not await insert_ignore(self._conn, _S, values):
            return None
        return await self.submission_for(quest.id, member_id, period)

    async def resubmit(self, submission_id: int, proof: str, at: datetime) -> bool:
        result = await self._conn.execute(
            update(_S)
            .where(_S.c.id == submission_id, _S.c.status == SubmissionStatus.REJECTED.value)
            .values(
                status=SubmissionStatus.PENDING.value,
                proof=proof,
                created_at=at,
                reviewer_id=None,
                reason=None,
                reviewed_at=None,
            )
        )
        return result.rowcount == 1

    async def submission(self, submission_id: int) -> Submission | None:
        row = (await self._conn.execute(select(_S).where(_S.c.id == submission_id))).first()
        return _submission(row) if row else None

    async def submission_for(
        self, quest_id: int, member_id: MemberId, period: str
    ) -> Submission | None:
        row = (
            await self._conn.execute(
                select(_S).where(
                    _S.c.quest_id == quest_id, _S.c.member_id == member_id, _S.c.period == period
                )
            )
        ).first()
        return _submission(row) if row else None

    async def decide(
        self,
        submission_id: int,
        status: SubmissionStatus,
        reviewer_id: MemberId,
        reason: str | None,
        at: datetime,
    ) -> bool:
        # Conditional on still pending: two moderators clicking at once decide once.
        result = await self._conn.execute(
            update(_S)
            .where(_S.c.id == submission_id, _S.c.status == SubmissionStatus.PENDING.value)
            .values(status=status.value, reviewer_id=reviewer_id, reason=reason, reviewed_at=at)
        )
        return result.rowcount == 1

    async def pending(self, community_id: CommunityId, limit: int) -> list[Submission]:
        rows = await self._conn.execute(
            select(_S)
            .where(
                _S.c.community_id == community_id,
                _S.c.status == SubmissionStatus.PENDING.value,
            )
            .order_by(_S.c.id)
            .limit(limit)
        )
        return [_submission(r) for r in rows]

    async def community_ids(self) -> list[CommunityId]:
        rows = await self._conn.execute(select(_C.c.id).order_by(_C.c.id))
        return [CommunityId(r.id) for r in rows]
