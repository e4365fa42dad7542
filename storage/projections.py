"""Projections against the activity log: verify them (`db check`) and rebuild them.

The activity log is the source of truth for everything derived from
activities. `projection_mismatches` recomputes the member counters and XP
totals from the applied activities and compares them with the stored ones;
`rebuild` empties every projection, marks the log unapplied (dropping what
projections derived, which they derive again) and lets the projector apply
it all again: the result equals what was applied incrementally, after member
merges too (each is logged where it happened and moves the projections' rows
there again; see `domain.linking.projection`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.activity import CounterMove
from domain.core.ids import CommunityId, MemberId
from domain.identity.activities import MemberJoined
from domain.linking.activities import MembersMerged
from domain.progress.activities import XpGained
from storage.achievements import (
    AchievementHoldersRow,
    CommunitySizeRow,
    MemberAchievementRow,
    MemberCounterRow,
)
from storage.activity_log import ActivityLogRow, _logged, append
from storage.base import Base
from storage.board_tables import BoardScoreCountRow, BoardScoreRow, BoardSizeRow
from storage.progress import MemberXpRow, XpAwardRow
from storage.quest_tables import QuestProgressRow

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWorkFactory

_LOG = ActivityLogRow.__table__
K = TypeVar("K", int, tuple[Any, ...])  # keys that sort: a member, a community, a tuple

# What projections write, emptied by a rebuild (member_xp rows stay, reset to zero:
# enrolment creates them). A feature that adds a projection adds its tables here.
PROJECTION_TABLES: tuple[Any, ...] = (
    MemberCounterRow,
    MemberAchievementRow,
    AchievementHoldersRow,
    CommunitySizeRow,
    BoardScoreRow,
    BoardSizeRow,
    BoardScoreCountRow,
    XpAwardRow,
    QuestProgressRow,
)


# Derived activities a rebuild keeps (marked unapplied) instead of deleting: they
# record a ledger entry a projection wrote (a quest's reward points), and the
# ledger is not rebuilt, so deriving them again finds the entry already there.
KEPT_ON_REBUILD: tuple[str, ...] = ("points_credited", "points_debited")


@dataclass(frozen=True, slots=True)
class ProjectionMismatch:
    """A stored projection value that the activity log does not account for."""

    what: str
    member_id: int
    stored: int
    from_log: int


async def pending_activities(engine: AsyncEngine) -> int:
    """Activities not yet applied to the projections (the projector's backlog)."""
    async with engine.connect() as conn:
        stmt = select(func.count()).select_from(_LOG).where(_LOG.c.applied.is_(False))
        return int((await conn.execute(stmt)).scalar_one())


async def projection_mismatches(engine: AsyncEngine) -> list[ProjectionMismatch]:
    """Recompute member counters and XP from the applied log; list what differs."""
    counters: dict[tuple[int, str], int] = defaultdict(int)
    xp: dict[int, int] = defaultdict(int)
    async with engine.connect() as conn:
        owner = await _survivors(conn)
        rows = await conn.stream(select(_LOG).where(_LOG.c.applied.is_(True)).order_by(_LOG.c.id))
        async for row in rows:
            item = _logged(row).activity
            for move in item.counter_moves():
                if move.amount > 0:
                    _count(counters, move, owner)
            if isinstance(item, XpGained):
                xp[owner.get(int(item.member_id), int(item.member_id))] += item.amount
        c = MemberCounterRow.__table__
        stored = {
            (int(r.member_id), r.counter): int(r.value)
            for r in await conn.execute(select(c.c.member_id, c.c.counter, c.c.value))
        }
        x = MemberXpRow.__table__
        stored_xp = {
            int(r.member_id): int(r.xp)
            for r in await conn.execute(select(x.c.member_id, x.c.xp).where(x.c.xp != 0))
        }
        z = CommunitySizeRow.__table__
        joined = {
            int(r[0]): int(r[1])
            for r in await conn.execute(
                select(_LOG.c.community_id, func.count())
                .where(_LOG.c.applied.is_(True), _LOG.c.kind == MemberJoined.kind)
                .group_by(_LOG.c.community_id)
            )
        }
        sizes = {
            int(r[0]): int(r[1])
            for r in await conn.execute(
                select(z.c.community_id, z.c.members).where(z.c.what == "members")
            )
        }
        boards = await _board_drift(conn)
    out = _drift(sizes, joined, lambda c: (f"community {c} size", 0))
    out += _drift(stored, counters, lambda key: (f"counter {key[1]}", key[0]))
    out += _drift(stored_xp, xp, lambda member: ("xp", member))
    return out + boards


def _drift(
    stored: Mapping[K, int], expected: Mapping[K, int], named: Callable[[K], tuple[str, int]]
) -> list[ProjectionMismatch]:
    """Every key whose stored value differs from the recounted one (a missing key is 0)."""
    return [
        ProjectionMismatch(*named(key), stored.get(key, 0), expected.get(key, 0))
        for key in sorted(set(stored) | set(expected))
        if stored.get(key, 0) != expected.get(key, 0)
    ]


async def _board_drift(conn: Any) -> list[ProjectionMismatch]:
    """The boards' shared counts against a count of `board_scores`, the rows they summarise.

    A rank is a sum over `board_score_counts` and "of N" is `board_sizes`: a
    count gone wrong would misplace every member below it.
    """
    s, z, c = BoardScoreRow.__table__, BoardSizeRow.__table__, BoardScoreCountRow.__table__
    season = (s.c.community_id, s.c.board, s.c.season)
    per_score = await _counted(
        conn, select(*season, s.c.score, func.count()).group_by(*season, s.c.score)
    )
    counted = await _counted(
        conn, select(c.c.community_id, c.c.board, c.c.season, c.c.score, c.c.members)
    )
    per_season = await _counted(conn, select(*season, func.count()).group_by(*season))
    sizes = await _counted(conn, select(z.c.community_id, z.c.board, z.c.season, z.c.members))
    out = _drift(
        counted,
        per_score,
        lambda k: (f"board {k[1]} {k[2]} members scoring {k[3]} (community {k[0]})", 0),
    )
    return out + _drift(
        sizes, per_season, lambda k: (f"board {k[1]} {k[2]} size (community {k[0]})", 0)
    )


async def _counted(conn: Any, query: Any) -> dict[tuple[Any, ...], int]:
    """A query's rows as {the leading columns: the last one}."""
    return {tuple(r[:-1]): int(r[-1]) for r in await conn.execute(query)}


async def _survivors(conn: Any) -> dict[int, int]:
    """Absorbed member -> the member they are now (after /link, possibly several merges).

    A merge adds the absorbed member's counters and XP into the survivor's, while
    activities keep naming the member they happened to (a gift names its receiver
    in its data); recomputing from the log counts them for the survivor too.
    """
    links = Base.metadata.tables.get("member_links")
    if links is None:
        return {}
    rows = await conn.execute(select(links.c.absorbed_id, links.c.survivor_id))
    parent = {int(a): int(s) for a, s in rows}
    owner = {}
    for absorbed in parent:
        current, seen = absorbed, {absorbed}
        while current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        owner[absorbed] = current
    return owner


async def _log_unlogged_merges(conn: Any) -> None:
    """Log the member merges made before merges were logged, at the end of the log.

    A logged merge (`MembersMerged`) moves the absorbed member's projection rows
    at its place in the log. An older merge has no place: replayed after
    everything, it still leaves nothing with the absorbed member.
    """
    links = Base.metadata.tables.get("member_links")
    if links is None:
        return
    logged = {
        r[0]
        for r in await conn.execute(select(_LOG.c.key).where(_LOG.c.kind == MembersMerged.kind))
    }
    rows = await conn.execute(
        select(
            links.c.community_id, links.c.survivor_id, links.c.absorbed_id, links.c.merged_at
        ).order_by(links.c.merged_at, links.c.absorbed_id)
    )
    merges = [
        MembersMerged.of(CommunityId(c), MemberId(s), MemberId(a), at) for c, s, a, at in rows
    ]
    missing = [m for m in merges if m.key not in logged]
    if missing:
        await append(conn, missing, applied=False)


def _count(counters: dict[tuple[int, str], int], move: CounterMove, owner: dict[int, int]) -> None:
    member = int(move.member_id)
    key = (owner.get(member, member), move.counter)
    if move.best_of:
        counters[key] = max(counters[key], move.amount)
    else:
        counters[key] += move.amount


async def rebuild(factory: SqlUnitOfWorkFactory) -> int:
    """Empty every projection and apply the whole log again; return activities applied."""
    await factory.projector.drain()
    async with factory() as uow:
        conn = uow.connection
        await conn.execute(
            delete(_LOG).where(_LOG.c.derived.is_(True), _LOG.c.kind.not_in(KEPT_ON_REBUILD))
        )
        await _log_unlogged_merges(conn)
        for model in PROJECTION_TABLES:
            await conn.execute(delete(model.__table__))
        x = MemberXpRow.__table__
        await conn.execute(update(x).values(xp=0, level=1, tier_index=0))
        await conn.execute(update(_LOG).values(applied=False))
        await uow.commit()
    return await factory.projector.drain()
