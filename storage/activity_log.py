"""The activity log: every activity, durable, with whether its projections are applied.

A command's transaction appends its activities here (one multi-row INSERT) and
nothing else; the projector claims the unapplied rows in id order, applies
them to every projection and marks them applied in the same transaction, so
each is applied exactly once whatever crashes in between. Activities that a
projection records (an XP gain, an unlock) are appended already applied and
marked `derived`: a rebuild drops them and derives them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from domain.core.activity import Activity, load, named_members
from domain.core.ids import CommunityId, MemberId
from storage import at_driver
from storage.base import Base
from storage.sql import chunks, prepare, upsert, upsert_parts
from storage.types import UTCDateTime

# SQLite allocates rowids only for INTEGER PRIMARY KEY; PostgreSQL gets a bigint.
_ID = BigInteger().with_variant(Integer(), "sqlite")


class ActivityLogRow(Base):
    """One activity as recorded; `applied` once every projection has seen it."""

    __tablename__ = "activity_log"
    __table_args__ = (
        UniqueConstraint("community_id", "kind", "key"),
        Index(
            "ix_activity_log_pending",
            "id",
            sqlite_where="applied = 0",
            postgresql_where="NOT applied",
        ),
    )

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    community_id: Mapped[int] = mapped_column(Integer())
    member_id: Mapped[int] = mapped_column(Integer())
    kind: Mapped[str] = mapped_column(String(48))
    version: Mapped[int] = mapped_column(SmallInteger())
    key: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON())
    applied: Mapped[bool] = mapped_column(Boolean(), default=False, server_default="0")
    derived: Mapped[bool] = mapped_column(Boolean(), default=False, server_default="0")


_T = ActivityLogRow.__table__
WAKE = "guildhall.activities_logged"
"""`conn.info` key set when unapplied activities were appended on that connection."""
_KEY = ("community_id", "kind", "key")


@dataclass(frozen=True, slots=True)
class Logged:
    """An activity read back from the log, with its row id."""

    id: int
    activity: Activity


def _row(item: Activity, *, applied: bool) -> dict[str, Any]:
    return {
        "community_id": int(item.community_id),
        "member_id": int(item.member_id),
        "kind": item.kind,
        "version": item.version,
        "key": item.key[:200],
        "occurred_at": item.occurred_at,
        "data": item.data(),
        "applied": applied,
        "derived": applied,
    }


Identity = tuple[int, str, str]
"""An activity's place in the log: (community, kind, key), unique."""


def identity(item: Activity) -> Identity:
    """The log's unique key of `item` (keys are stored up to 200 characters)."""
    return (int(item.community_id), item.kind, item.key[:200])


async def append(conn: AsyncConnection, items: Sequence[Activity], *, applied: bool) -> None:
    """Append activities in one statement; one already logged (same kind and key) is skipped.

    Unapplied ones mark the connection (`WAKE`: each inserted one's row id and
    the members it names), so the unit of work that holds it wakes the projector
    after its commit, even when an enrolment hook, not the unit itself, appended them.
    The row id is how this process hears that another one applied it
    (`notify_applied`).
    """
    for part in upsert_parts(conn, items):
        rows = [_row(a, applied=applied) for a in part]
        if applied:  # derived, by the projector: ride with its batch's last statement
            await upsert(conn, _T, rows, conflict=_KEY, set_=None, ride=True)
            continue
        result = await upsert(conn, _T, rows, conflict=_KEY, set_=None, returning=("id", *_KEY))
        inserted = {(int(r[1]), r[2], r[3]): int(r[0]) for r in result}
        woken = conn.info.setdefault(WAKE, {})
        for item in part:  # only what was inserted: a duplicate is never claimed again
            if (row_id := inserted.get(identity(item))) is not None:
                woken[row_id] = frozenset(named_members([item]))


# Every batch starts here: prepared once (storage.sql.prepare). SQLite renders no
# FOR UPDATE; it needs none (its single writer runs one transaction at a time).
_CLAIM = prepare(
    select(_T)
    .where(_T.c.applied.is_(False))
    .order_by(_T.c.id)
    .limit(bindparam("b_limit"))
    .with_for_update(skip_locked=True)
)


async def claim(conn: AsyncConnection, limit: int) -> list[Logged]:
    """The next unapplied activities in id order; on PostgreSQL, rows no other projector holds."""
    return [_logged(r) for r in await _CLAIM.rows(conn, {"b_limit": limit})]


def _logged(r: Any) -> Logged:
    return Logged(
        int(r.id),
        load(
            r.kind,
            int(r.version),
            community_id=CommunityId(int(r.community_id)),
            member_id=MemberId(int(r.member_id)),
            key=r.key,
            occurred_at=r.occurred_at,
            data=r.data,
        ),
    )


_MARK = update(_T).where(_T.c.id.in_(bindparam("ids", expanding=True))).values(applied=True)
# PostgreSQL: one array, so one prepared statement whatever the batch's size
# (an IN list made a statement, and a server-side prepare, per size).
_MARK_ARRAY = "UPDATE activity_log SET applied = true WHERE id = ANY($1::bigint[])"


async def mark_applied(conn: AsyncConnection, ids: Sequence[int]) -> None:
    """Mark claimed rows applied (in the transaction that applied them).

    On PostgreSQL the write rides with the batch's NOTIFY (`notify_applied`),
    the next statement, which touches no row.
    """
    if conn.dialect.name == "postgresql":
        await at_driver.ride(conn, _MARK_ARRAY, (list(ids),))
        return
    await conn.execute(_MARK, {"ids": list(ids)})


async def notify_applied(conn: AsyncConnection, ids: Sequence[int], announced: bool) -> None:
    """PostgreSQL: tell every listening process which rows this batch applied, at its commit.

    The process that logged them settles its readers on it (`Projector.heard`)
    when a projector in another process (`guildhall project`) applied them.
    Ids go as ranges ("3-40,42"): a batch is mostly consecutive rows, so even
    the largest stays far below NOTIFY's 8,000-byte payload. A trailing "!" says
    the batch stored announcements (that process's deliverer wakes for them).
    """
    if conn.dialect.name == "postgresql" and ids:
        payload = id_ranges(ids) + ("!" if announced else "")
        await _NOTIFY.run(conn, {"channel": APPLIED_CHANNEL, "payload": payload})


# Prepared (run at the driver), so the batch's riding writes go with it.
_NOTIFY = prepare(select(func.pg_notify(bindparam("channel"), bindparam("payload"))))
APPLIED_CHANNEL = "guildhall_applied"
"""Where projectors say which rows each batch applied (`storage.pg_listen` listens)."""


def id_ranges(ids: Sequence[int]) -> str:
    """Row ids as sorted ranges: [5, 3, 4, 9] -> "3-5,9"."""
    out: list[str] = []
    ordered = sorted(set(ids))
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(out)


def parse_ranges(text: str) -> list[int]:
    """The ids `id_ranges` wrote ("3-5,9" -> [3, 4, 5, 9])."""
    ids: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


_APPLIED_AMONG = select(_T.c.id).where(
    _T.c.id.in_(bindparam("ids", expanding=True)), _T.c.applied.is_(True)
)


async def applied_among(conn: AsyncConnection, ids: Sequence[int]) -> list[int]:
    """Which of these rows are applied (a process catching up on notifications it missed)."""
    found: list[int] = []
    for part in chunks(list(ids)):
        found.extend(int(r[0]) for r in await conn.execute(_APPLIED_AMONG, {"ids": part}))
    return found


async def pending_count(conn: AsyncConnection) -> int:
    """How many activities wait for their projections."""
    stmt = select(func.count()).select_from(_T).where(_T.c.applied.is_(False))
    return int((await conn.execute(stmt)).scalar_one())


_FIRST_PENDING = select(_T.c.id).where(_T.c.applied.is_(False)).limit(1)


async def has_pending(conn: AsyncConnection) -> bool:
    """Whether any activity waits (one row of the pending index: cheap enough to poll)."""
    return (await conn.execute(_FIRST_PENDING)).first() is not None
