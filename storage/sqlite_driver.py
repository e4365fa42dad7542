"""aiosqlite with one thread hop per statement, and none at all for the writer.

SQLAlchemy's aiosqlite adapter runs every statement as four trips to the
driver's thread (open a cursor, execute, fetch, close); each trip is a queue
put, a thread wake-up and an event-loop wake-up. This adapter does the same
four steps in one function on the driver's thread, so a statement costs one
trip. Behaviour is otherwise SQLAlchemy's: same exceptions, same result rows,
same transaction handling.

**The writer runs on the event loop's thread** (`fast_dbapi(on_loop=True)`).
SQLite has one writer, and a command holds it for its whole transaction: with
a trip per statement, the writer was held mostly by trips waiting for the loop
to get round to them (a statement runs in about 0.03 ms; its trip and the wait
behind the loop's other callbacks took 0.2 ms, ten times per check-in), so
every other command and the projector queued behind that waiting. Measured with
`guildhall bench --quick` on a quiet machine, back to back: `/checkin` 0.19×
the floor with a trip per statement, 0.31× with the writer's statements on the
loop, 0.34× with its commit there too. On the loop, the loop stops for SQLite's
own time of each statement (tens of microseconds for the hot paths) and never
for a lock: the writer connection's busy timeout is 0, so the one place where a
write lock is taken — the transaction's BEGIN IMMEDIATE — fails at once when
another process (a `guildhall` command, a backup) holds it; that BEGIN is then
retried on the driver's thread with the usual busy timeout, so the wait happens
off the loop.

**Members' own reads run on the loop too** (`Database.quick`: `/leaderboard`,
`/profile` and the like, a few indexed statements each); a statement SQLite
refuses as busy there (a reader during WAL recovery) is retried on the driver's
thread with the busy timeout. Other readers (the dashboard, jobs, exports) keep
their threads: a long query runs beside the loop, not in it.

It leans on two internals that are pinned by our dependency ranges:
`aiosqlite.Connection._execute` (queue a function for the thread) and
SQLAlchemy's aiosqlite adapter classes; when either is missing we fall back
to the stock adapter (`fast_dbapi()` returns None).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any, cast

import aiosqlite

try:  # pragma: no cover - import guard for other SQLAlchemy versions
    from sqlalchemy.dialects.sqlite.aiosqlite import (
        AsyncAdapt_aiosqlite_connection,
        AsyncAdapt_aiosqlite_cursor,
        AsyncAdapt_aiosqlite_dbapi,
    )
except ImportError:  # pragma: no cover
    AsyncAdapt_aiosqlite_dbapi = None  # type: ignore[assignment,misc]  # no aiosqlite dialect


_BEGINS = frozenset({"BEGIN", "BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN EXCLUSIVE"})
_SQLITE_BUSY = 5
# On the loop, a writer's transaction lets other coroutines run at least this often.
YIELD_EVERY = 0.002  # the primary result code; extended codes keep it in the low byte

Outcome = tuple[Any, list[Any] | None, int, int]


def _run(conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any) -> Outcome:
    """Execute, fetch and close in one call: the four trips in one.

    `begin` is a BEGIN deferred from the transaction's start; it runs first, in
    the same call, so the write lock is still taken before any statement.
    """
    if begin is not None:
        conn.execute(begin)
    cursor = conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, None, cursor.lastrowid or -1, cursor.rowcount
    finally:
        cursor.close()


def _run_many(
    conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any
) -> Outcome:
    """executemany, with the deferred BEGIN first (as `_run`)."""
    if begin is not None:
        conn.execute(begin)
    cursor = conn.cursor()
    try:
        cursor.executemany(operation, parameters)
        return None, None, cursor.lastrowid or -1, cursor.rowcount
    finally:
        cursor.close()


def _begin(conn: sqlite3.Connection, begin: str) -> None:
    conn.execute(begin)


def _waiting(
    conn: sqlite3.Connection, busy_timeout_ms: int, step: Callable[..., Any], *args: Any
) -> Any:
    """`step(conn, *args)` with a busy timeout, on the driver's thread.

    The wait stays off the loop (the loop's connections keep a busy timeout of 0).
    """
    conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    try:
        return step(conn, *args)
    finally:
        conn.execute("PRAGMA busy_timeout=0")


def _is_busy(error: BaseException) -> bool:
    """Whether SQLite refused because another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == _SQLITE_BUSY


def _ready() -> asyncio.Future[None]:
    """An already finished future: SQLAlchemy's async layer insists on one await."""
    done = asyncio.get_running_loop().create_future()
    done.set_result(None)
    return done


# Whether this adapter applies (else SQLAlchemy's stock aiosqlite adapter is used).
SUPPORTED = AsyncAdapt_aiosqlite_dbapi is not None and hasattr(aiosqlite.Connection, "_execute")

if SUPPORTED:

    class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
        __slots__ = ()

        def execute(self, operation: Any, parameters: Any = None) -> Any:
            self._go(_run, operation, parameters)

        def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
            self._go(_run_many, operation, seq_of_parameters)

        def _go(self, run: Callable[..., Outcome], operation: Any, parameters: Any) -> None:
            # Our cursors belong to our connections, which carry the pending BEGIN.
            adapted = cast("_OneTripConnection", self._adapt_connection)
            if operation in _BEGINS and not parameters:
                # Ride along with the transaction's first statement: one trip fewer.
                adapted._pending_begin = operation
                self.description = None
                self.lastrowid = self.rowcount = -1
                return
            driver = self._connection
            try:
                if adapted._on_loop:  # the same path as `storage.at_driver`'s, in one await
                    outcome = self.await_(adapted.run_here(operation, parameters, run))
                else:
                    begin, adapted._pending_begin = adapted._pending_begin, None
                    outcome = self.await_(
                        driver._execute(run, driver._conn, begin, operation, parameters)
                    )
            except Exception as error:
                self._adapt_connection._handle_exception(error)
            description, rows, lastrowid, rowcount = outcome
            self.description = description
            self.lastrowid = lastrowid
            self.rowcount = rowcount
            if rows is not None:
                self._rows.clear()
                self._rows.extend(rows)

    class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
        __slots__ = ("_on_loop", "_pending_begin", "_yielded")

        def __init__(self, dbapi: Any, connection: Any, *, on_loop: bool) -> None:
            super().__init__(dbapi, connection)
            self._pending_begin: str | None = None
            self._on_loop = on_loop
            self._yielded = 0.0

        async def _here_or_waiting(self, step: Callable[..., Any], *args: Any) -> Any:
            """`step(conn, *args)` on the loop; if SQLite is busy, on the driver's thread.

            Busy: another process holds the write lock (a BEGIN IMMEDIATE), or a
            reader met WAL recovery; the retry waits with the busy timeout, off
            the loop (the loop's connections keep a busy timeout of 0).
            """
            driver = self._connection
            try:
                return step(driver._conn, *args)
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
                timeout = cast("_OneTripDbapi", self.dbapi).busy_timeout_ms
                return await driver._execute(_waiting, driver._conn, timeout, step, *args)

        async def run_here(
            self, operation: str, parameters: Any, run: Callable[..., Outcome] = _run
        ) -> Outcome:
            """One statement on the loop's thread: the pending BEGIN first, then `run`.

            `storage.at_driver` awaits it straight from a coroutine (1.4 µs of
            CPU for a `SELECT ?` instead of 40 through SQLAlchemy); our cursor
            awaits it from SQLAlchemy's greenlet. A statement on the loop
            returns at once, so a long transaction (a projector batch: tens of
            statements and the Python between them) lets the loop run others'
            callbacks at least every `YIELD_EVERY` seconds.
            """
            begin, self._pending_begin = self._pending_begin, None
            if begin is not None:
                self._yielded = time.perf_counter()
                await self._here_or_waiting(_begin, begin)
            outcome: Outcome = await self._here_or_waiting(run, None, operation, parameters)
            if time.perf_counter() - self._yielded >= YIELD_EVERY:
                await asyncio.sleep(0)
                self._yielded = time.perf_counter()
            return outcome

        def commit(self) -> None:
            if self._pending_begin is not None:  # nothing ran: nothing to commit
                self._pending_begin = None
                return
            if self._on_loop:
                self._end(self._connection._conn.commit)
                return
            super().commit()

        def rollback(self) -> None:
            if self._pending_begin is not None:
                self._pending_begin = None
                return
            if self._on_loop:
                self._end(self._connection._conn.rollback)
                return
            super().rollback()

        def _end(self, finish: Callable[[], None]) -> None:
            try:
                finish()
                self.await_(_ready())
            except Exception as error:
                self._handle_exception(error)

        def cursor(self, server_side: bool = False) -> Any:
            if server_side:
                return super().cursor(server_side=True)
            return _OneTripCursor(self)

    class _OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
        def __init__(self, *args: Any, on_loop: bool, busy_timeout_ms: int) -> None:
            super().__init__(*args)
            self.on_loop = on_loop
            self.busy_timeout_ms = busy_timeout_ms

        def connect(self, *arg: Any, **kw: Any) -> Any:
            if self.on_loop:  # used from the loop's thread as well as the driver's
                kw["check_same_thread"] = False
            adapted = super().connect(*arg, **kw)
            return _OneTripConnection(self, adapted._connection, on_loop=self.on_loop)

    def fast_dbapi(*, on_loop: bool = False, busy_timeout_ms: int = 10_000) -> Any:
        """The DBAPI module to pass as `create_async_engine(..., module=...)`.

        `on_loop`: run statements, commit and rollback on the event loop's
        thread (the single writer); its connections must set busy_timeout=0.
        """
        return _OneTripDbapi(aiosqlite, sqlite3, on_loop=on_loop, busy_timeout_ms=busy_timeout_ms)

else:  # pragma: no cover

    def fast_dbapi(*, on_loop: bool = False, busy_timeout_ms: int = 10_000) -> Any:
        """Return None: this SQLAlchemy's aiosqlite internals differ; use the stock driver."""
        return None
