"""The hot statements handed straight to the driver, inside SQLAlchemy's transaction.

Why: SQLAlchemy's `exec_driver_sql` spends more of this process's CPU than
the statement does. Measured here (5,000 `SELECT ?` in one transaction, three
rounds): on PostgreSQL 159-188 µs of CPU a statement through SQLAlchemy, 68-74
µs through the same prepared statement at asyncpg; on SQLite's connections
that run on the loop (the writer, members' own reads) 39-41 µs through
SQLAlchemy, 1.4 µs at sqlite3. The difference is the greenlet that carries
each call from SQLAlchemy's synchronous core to the loop and back, the
execution context and the result wrapper. A command is ten to fourteen
statements and a projector's batch tens, so this is a large part of both
(about 1 ms of a 2.8 ms command on PostgreSQL) and, on SQLite, of the time the
one writer is held.

What stays SQLAlchemy's: the connection and its transaction (asyncpg's lazy
BEGIN started here exactly as the adapter's cursor would, SQLite's deferred
BEGIN IMMEDIATE run first as ours does; SQLAlchemy's commit and rollback end
it), asyncpg's cache of prepared statements, and failures: a driver error is
translated by the adapter and raised as the same `sqlalchemy.exc` error, a lost
connection invalidated (`connection_invalidated` set, so the unit of work
retries once). Whenever statement events are listened to (a test or benchmark
counting statements), or the connection is anything else (SQLite's threaded
readers), the statement takes SQLAlchemy's usual way.

It leans on internals of SQLAlchemy's asyncpg adapter (`_execute_mutex`,
`_started`, `_start_transaction`, `_prepare`, `_commit_and_discard`), pinned by
our dependency range, and on ours (`storage.sqlite_driver`);
`tests/storage/test_at_driver.py` checks each promise on both engines.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, NoReturn
from weakref import WeakKeyDictionary

from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.ext.asyncio import AsyncConnection

_STATUS = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT \d+) (\d+)")
_MARKER = re.compile(r"\$(\d+)")

# Writes waiting for the next statement of their transaction (`ride`), per
# connection object (one per unit of work; gone with it).
_RIDERS: WeakKeyDictionary[AsyncConnection, tuple[Any, list[tuple[str, tuple[Any, ...]]]]] = (
    WeakKeyDictionary()
)


def _adapter(conn: AsyncConnection) -> Any | None:
    """The DBAPI adapter under `conn` when a statement may skip SQLAlchemy, else None."""
    sync = conn.sync_connection
    if sync is None or not sync.in_transaction():
        return None
    dispatch = sync.dispatch
    if dispatch.before_cursor_execute or dispatch.after_cursor_execute:
        return None
    fairy = sync._dbapi_connection
    if fairy is None or not fairy.is_valid:
        return None
    adapter = fairy.dbapi_connection
    if getattr(adapter, "_execute_mutex", None) is not None or _on_loop(adapter):
        return adapter  # asyncpg's, or ours on SQLite's loop
    return None


def _on_loop(adapter: Any) -> bool:
    """Ours on SQLite's loop (`storage.sqlite_driver`), rather than asyncpg's."""
    return bool(getattr(adapter, "_on_loop", False))


async def execute(conn: AsyncConnection, sql: str, parameters: tuple[Any, ...]) -> Any:
    """Run the driver-level `sql` (the driver's own parameter markers) with `parameters`.

    Returns a result with the reading methods of SQLAlchemy's that `storage`
    uses (`rowcount`, iteration, `all`, `first`, `one`, `scalar_one`,
    `scalars().all()`…), rows unprocessed as `exec_driver_sql` returns them.
    """
    riders = _riders(conn)
    if riders:
        sql, parameters = _with_riders(riders, sql, parameters)
    adapter = _adapter(conn)
    if adapter is None:
        return await conn.exec_driver_sql(sql, parameters)
    try:
        if _on_loop(adapter):
            description, rows, _lastrowid, rowcount = await adapter.run_here(sql, parameters)
            names = tuple(d[0] for d in description or ())
            return DriverResult(rows or (), names, rowcount)
        async with adapter._execute_mutex:
            if not adapter._started:
                await adapter._start_transaction()
            statement, attributes = await adapter._prepare(
                sql,
                conn.dialect._invalidate_schema_cache_asof,  # type: ignore[attr-defined]
            )
            records = await statement.fetch(*parameters)
            status = statement.get_statusmsg()
    except BaseException as error:
        await _raise_as_sqlalchemy(conn, adapter, error, sql, parameters)
    found = _STATUS.match(status or "")
    rowcount = int(found.group(1)) if found else -1
    return DriverResult(records, tuple(a.name for a in attributes or ()), rowcount)


async def ride(conn: AsyncConnection, sql: str, parameters: tuple[Any, ...]) -> None:
    """Send a write whose result nobody reads with the transaction's next statement.

    On PostgreSQL every statement is a round trip, both processes' CPU and a
    wait; a command's stored reply is such a write, and the activity log's
    append follows it. The write goes as a data-modifying WITH of the next
    statement run here (`execute`), or alone just before COMMIT if none
    comes, in the same transaction either way: it commits or rolls back with
    it, and its failure is that statement's. It must not touch a row the
    next statement touches (PostgreSQL runs both on one snapshot). Two
    waiting writes of one kind to one table (a batch's two XP credits) might
    write one row twice in one statement, which PostgreSQL refuses: those
    already waiting are sent first, on a statement of their own. Elsewhere
    (SQLite has no round trip to save) it runs now.
    """
    sync = conn.sync_connection
    adapter = _adapter(conn)
    if adapter is None or _on_loop(adapter) or sync is None:
        await execute(conn, sql, parameters)
        return
    transaction = sync.get_transaction()
    held = _RIDERS.get(conn)
    if held is None or held[0] is not transaction:
        held = _RIDERS[conn] = (transaction, [])
    elif any(_target(waiting) == _target(sql) for waiting, _ in held[1]):
        await execute(conn, "SELECT 1", ())  # takes the waiting ones along
        held = _RIDERS[conn] = (transaction, [])
    held[1].append((sql, parameters))


@lru_cache(maxsize=256)
def _target(sql: str) -> str:
    """What a write does to which table: "INSERT INTO member_xp", "UPDATE activity_log"."""
    return " ".join(sql.split()[:3]).upper()


def _riders(conn: AsyncConnection) -> list[tuple[str, tuple[Any, ...]]] | None:
    """The writes waiting to ride, if they belong to the transaction still open."""
    held = _RIDERS.pop(conn, None)
    if held is None:
        return None
    sync = conn.sync_connection
    if sync is None or sync.get_transaction() is not held[0]:
        return None  # rolled back: they went with it
    return held[1]


def _with_riders(
    riders: list[tuple[str, tuple[Any, ...]]], sql: str, parameters: tuple[Any, ...]
) -> tuple[str, tuple[Any, ...]]:
    """`sql` with the riders as WITH clauses, every statement's $n numbered after theirs."""
    clauses: list[str] = []
    values: list[Any] = []
    for n, (rider, given) in enumerate(riders):
        clauses.append(f"ride_{n} AS ({_shifted(rider, len(values))})")
        values.extend(given)
    main = _shifted(sql, len(values))
    head = "WITH " + ", ".join(clauses)
    if main[:5].upper() == "WITH ":
        return f"{head}, {main[5:]}", (*values, *parameters)
    return f"{head} {main}", (*values, *parameters)


@lru_cache(maxsize=256)
def _shifted(sql: str, by: int) -> str:
    """The driver's markers $1… moved up by `by` (our SQL holds no other dollar sign)."""
    return _MARKER.sub(lambda m: f"${int(m.group(1)) + by}", sql) if by else sql


async def commit(conn: AsyncConnection) -> None:
    """PostgreSQL: COMMIT at the driver, then SQLAlchemy closes its transaction (no trip).

    Writes still waiting to ride go first, alone.
    """
    riders = _riders(conn)
    if riders:
        sql, parameters = _with_riders(riders, "SELECT 1", ())
        await execute(conn, sql, parameters)
    adapter = _adapter(conn)
    if adapter is not None and not _on_loop(adapter) and adapter._started:
        try:
            await adapter._commit_and_discard()
        except BaseException as error:
            await _raise_as_sqlalchemy(conn, adapter, error, "COMMIT", ())
    await conn.commit()


async def _raise_as_sqlalchemy(
    conn: AsyncConnection, adapter: Any, error: BaseException, sql: str, parameters: Any
) -> NoReturn:
    """Raise `error` as SQLAlchemy would: translated, wrapped, a lost connection invalidated."""
    if not isinstance(error, Exception):
        if not _on_loop(adapter):  # cancelled mid-statement: state unknown
            conn.sync_connection.invalidate()  # type: ignore[union-attr]
        raise error  # SQLite's ran whole on the loop: the rollback follows as usual
    try:
        adapter._handle_exception(error)  # raises the adapter's DBAPI-shaped error
    except Exception as translated:
        dbapi_error = translated
    dialect = conn.dialect
    if not isinstance(dbapi_error, dialect.loaded_dbapi.Error):
        raise dbapi_error
    names = ("InvalidCachedStatementError", "InternalServerError")  # asyncpg's
    stale = tuple(c for c in (getattr(dialect.loaded_dbapi, n, None) for n in names) if c)
    if stale and isinstance(dbapi_error, stale):
        dialect._invalidate_schema_cache()  # type: ignore[attr-defined]  # as its context does
    sync = conn.sync_connection
    assert sync is not None
    lost = dialect.is_disconnect(dbapi_error, sync._dbapi_connection, None)
    if lost and not sync.invalidated:
        sync.invalidate(dbapi_error)
    raise DBAPIError.instance(
        sql,
        parameters,
        dbapi_error,
        dialect.loaded_dbapi.Error,
        connection_invalidated=lost,
        dialect=dialect,
    ) from error


@lru_cache(maxsize=512)
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("Row", names, rename=True)


class _Rows(list[Any]):
    """Rows or values as SQLAlchemy's results and `ScalarResult` read them."""

    def all(self) -> list[Any]:
        return list(self)

    def first(self) -> Any | None:
        return self[0] if self else None

    def one_or_none(self) -> Any | None:
        if len(self) > 1:
            raise MultipleResultsFound("Multiple rows were found when one or none was required")
        return self[0] if self else None

    def one(self) -> Any:
        if not self:
            raise NoResultFound("No row was found when one was required")
        return self.one_or_none()


class DriverResult:
    """The rows of one statement run at asyncpg, read as a SQLAlchemy result reads."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, records: Sequence[Any], names: tuple[str, ...], rowcount: int) -> None:
        make = _row_type(names)._make if names else tuple
        self._rows = _Rows(make(r) for r in records)
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def all(self) -> list[Any]:
        return self._rows.all()

    fetchall = all

    def first(self) -> Any | None:
        return self._rows.first()

    def one(self) -> Any:
        return self._rows.one()

    def scalars(self) -> _Rows:
        return _Rows(r[0] for r in self._rows)

    def scalar_one(self) -> Any:
        return self.scalars().one()

    def scalar_one_or_none(self) -> Any | None:
        return self.scalars().one_or_none()
