"""The floor: the minimal SQL of an operation, straight through the driver.

No SQLAlchemy, no runner, no unit of work: one transaction per operation on a
raw aiosqlite connection (one writer, as SQLite allows) or an asyncpg pool of
the same size as ours. Its throughput, measured in the same process and run,
is what our figures are divided by.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import aiosqlite
import asyncpg
from sqlalchemy.engine import make_url

from benchmarks.seed import PLATFORM, WORKSPACE

T = TypeVar("T")
_PLACEHOLDER = re.compile(r"\?")


class Tx(Protocol):
    """One open transaction on the raw driver."""

    async def row(self, sql: str, *args: Any) -> Sequence[Any] | None: ...
    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]: ...
    async def execute(self, sql: str, *args: Any) -> int: ...


class Floor(Protocol):
    dialect: str

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T: ...
    async def maintain(self, sql: str) -> None: ...
    async def close(self) -> None: ...


class _SqliteTx:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def row(self, sql: str, *args: Any) -> Sequence[Any] | None:
        found = await self._conn.execute_fetchall(sql, args)
        return next(iter(found), None)

    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        return list(await self._conn.execute_fetchall(sql, args))

    async def execute(self, sql: str, *args: Any) -> int:
        cursor = await self._conn.execute(sql, args)
        return int(cursor.rowcount)


class SqliteFloor:
    """One raw aiosqlite connection, the same pragmas as ours, one writer at a time."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str) -> SqliteFloor:
        conn = await aiosqlite.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
            "synchronous=NORMAL",
        ):
            await conn.execute(f"PRAGMA {pragma}")
        return cls(conn)

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = await work(_SqliteTx(self._conn))
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")
            return result

    async def maintain(self, sql: str) -> None:
        """Run a statement outside any transaction (ANALYZE, VACUUM)."""
        async with self._lock:
            await self._conn.execute(sql)

    async def close(self) -> None:
        await self._conn.close()


class _PgTx:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def row(self, sql: str, *args: Any) -> Sequence[Any] | None:
        return await self._conn.fetchrow(_numbered(sql), *args)  # type: ignore[no-any-return]

    async def rows(self, sql: str, *args: Any) -> list[Sequence[Any]]:
        return list(await self._conn.fetch(_numbered(sql), *args))

    async def execute(self, sql: str, *args: Any) -> int:
        status = await self._conn.execute(_numbered(sql), *args)
        return int(status.rsplit(" ", 1)[-1]) if status[-1].isdigit() else 0


class PgFloor:
    """An asyncpg pool of the size our engine uses."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, url: str, pool_size: int) -> PgFloor:
        parsed = make_url(url).set(drivername="postgresql")
        dsn = parsed.render_as_string(hide_password=False)
        pool = await asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size)
        return cls(pool)

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        async with self._pool.acquire() as conn, conn.transaction():
            return await work(_PgTx(conn))

    async def maintain(self, sql: str) -> None:
        """Run a statement outside any transaction (ANALYZE, VACUUM)."""
        async with self._pool.acquire() as conn:
            await conn.execute(sql)

    async def close(self) -> None:
        await self._pool.close()


def _numbered(sql: str) -> str:
    counter = iter(range(1, 1000))
    return _PLACEHOLDER.sub(lambda _m: f"${next(counter)}", sql)


@asynccontextmanager
async def open_floor(url: str, pool_size: int):  # type: ignore[no-untyped-def]
    parsed = make_url(url)
    floor: SqliteFloor | PgFloor
    if parsed.get_backend_name() == "sqlite":
        floor = await SqliteFloor.open(str(parsed.database))
    else:
        floor = await PgFloor.open(url, pool_size)
    try:
        yield floor
    finally:
        await floor.close()


# -- the operations' minimal SQL ---------------------------------------------------

_MEMBER = (
    "SELECT m.id, m.community_id FROM accounts a JOIN members m ON m.id = a.member_id"
    " WHERE a.platform = ? AND a.workspace_id = ? AND a.user_id = ?"
)
_LEDGER = (
    "INSERT INTO ledger (community_id, member_id, kind, source, amount, key, reason, actor_id,"
    " counterparty_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING"
)


def _stamp(floor: Floor, at: datetime) -> Any:
    naive = at.replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if floor.dialect == "sqlite" else naive


def _day(floor: Floor, day: date) -> Any:
    return day.isoformat() if floor.dialect == "sqlite" else day


async def checkin(floor: Floor, user: str, now: datetime, points: int) -> str:
    """Resolve the account, advance the streak, log the check-in, credit the points."""
    today = now.date()
    stamp = _stamp(floor, now)

    async def work(tx: Tx) -> str:
        member = await tx.row(_MEMBER, PLATFORM, WORKSPACE, user)
        assert member is not None
        member_id, community_id = member[0], member[1]
        streak = await tx.row(
            "SELECT current, longest, total, last_local_date FROM streaks WHERE member_id = ?",
            member_id,
        )
        assert streak is not None
        current, longest, total, last = streak
        if last is not None and str(last) >= today.isoformat():
            return "refused"
        current = current + 1 if last is not None else 1
        if not await tx.execute(
            "UPDATE streaks SET current = ?, longest = ?, total = ?, last_checkin_at = ?,"
            " last_local_date = ? WHERE member_id = ? AND total = ?",
            current,
            max(longest, current),
            total + 1,
            stamp,
            _day(floor, today),
            member_id,
            total,
        ):
            return "refused"
        await tx.execute(
            "INSERT INTO checkins (member_id, seq, community_id, local_date, checked_at)"
            " VALUES (?, ?, ?, ?, ?)",
            member_id,
            total + 1,
            community_id,
            _day(floor, today),
            stamp,
        )
        await tx.execute(
            _LEDGER,
            community_id,
            member_id,
            "earned",
            "checkin",
            points,
            f"floor:checkin:{member_id}:{total + 1}",
            None,
            None,
            None,
            stamp,
        )
        await tx.row(
            "UPDATE balances SET points = points + ? WHERE member_id = ? RETURNING points",
            points,
            member_id,
        )
        return "ok"

    return await floor.transaction(work)


async def give(
    floor: Floor, giver: str, receiver: str, amount: int, key: str, now: datetime
) -> str:
    """Resolve both accounts, lock both balances (PostgreSQL), debit if covered, credit."""
    stamp = _stamp(floor, now)

    async def work(tx: Tx) -> str:
        g = await tx.row(_MEMBER, PLATFORM, WORKSPACE, giver)
        r = await tx.row(_MEMBER, PLATFORM, WORKSPACE, receiver)
        assert g is not None and r is not None
        if floor.dialect == "postgresql":
            await tx.rows(
                "SELECT member_id FROM balances WHERE member_id IN (?, ?)"
                " ORDER BY member_id FOR UPDATE",
                g[0],
                r[0],
            )
        if not await tx.execute(
            _LEDGER, g[1], g[0], "gifted", "gift", -amount, f"{key}:out", None, g[0], r[0], stamp
        ):
            return "refused"
        debited = await tx.row(
            "UPDATE balances SET points = points - ? WHERE member_id = ? AND points >= ?"
            " RETURNING points",
            amount,
            g[0],
            amount,
        )
        if debited is None:
            raise _Refused()
        await tx.execute(
            _LEDGER, r[1], r[0], "received", "gift", amount, f"{key}:in", None, g[0], g[0], stamp
        )
        await tx.row(
            "UPDATE balances SET points = points + ? WHERE member_id = ? RETURNING points",
            amount,
            r[0],
        )
        return "ok"

    try:
        return await floor.transaction(work)
    except _Refused:
        return "refused"


class _Refused(Exception):
    """Roll the floor's transaction back: the gift was not covered."""


async def vote(floor: Floor, user: str, proposal_id: int, choice: str, now: datetime) -> str:
    """Resolve the account, lock the proposal, upsert the vote, read the new tally."""
    stamp = _stamp(floor, now)
    lock = " FOR UPDATE" if floor.dialect == "postgresql" else ""

    async def work(tx: Tx) -> str:
        member = await tx.row(_MEMBER, PLATFORM, WORKSPACE, user)
        assert member is not None
        proposal = await tx.row("SELECT id, status FROM proposals WHERE id = ?" + lock, proposal_id)
        if proposal is None or proposal[1] != "active":
            return "refused"
        first = await tx.execute(
            "INSERT INTO proposal_votes (proposal_id, member_id, choice, weight, voted_at,"
            " updated_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
            proposal_id,
            member[0],
            choice,
            stamp,
            stamp,
        )
        if not first:
            await tx.execute(
                "UPDATE proposal_votes SET choice = ?, updated_at = ?"
                " WHERE proposal_id = ? AND member_id = ?",
                choice,
                stamp,
                proposal_id,
                member[0],
            )
        await tx.rows(
            "SELECT choice, sum(weight), count(*) FROM proposal_votes"
            " WHERE proposal_id = ? AND choice IS NOT NULL GROUP BY choice",
            proposal_id,
        )
        return "ok" if first else "refused"

    return await floor.transaction(work)
