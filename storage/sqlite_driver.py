"""aiosqlite with one thread hop per statement instead of four.

SQLAlchemy's aiosqlite adapter runs every statement as four trips to the
driver's thread (open a cursor, execute, fetch, close); each trip is a queue
put, a thread wake-up and an event-loop wake-up, about 0.1 ms on a busy
2-core machine, and SQLite's single writer holds its lock across all of them.
Profiling the benchmark's /checkin showed those trips as most of the time.
This adapter does the same four steps in one function on the driver's
thread, so a statement costs one trip. Behaviour is otherwise SQLAlchemy's:
same exceptions, same result rows, same transaction handling.

It leans on two internals that are pinned by our dependency ranges:
`aiosqlite.Connection._execute` (queue a function for the thread) and
SQLAlchemy's aiosqlite adapter classes; when either is missing we fall back
to the stock adapter (`fast_dbapi()` returns None).
"""

from __future__ import annotations

import sqlite3
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


def _run(
    conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any
) -> tuple[Any, list[Any] | None, int, int]:
    """Execute, fetch and close on the driver's thread: the four trips in one.

    `begin` is a BEGIN deferred from the transaction's start; it runs first, in
    the same trip, so the write lock is still taken before any statement.
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


if AsyncAdapt_aiosqlite_dbapi is not None and hasattr(aiosqlite.Connection, "_execute"):

    class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
        __slots__ = ()

        def execute(self, operation: Any, parameters: Any = None) -> Any:
            # Our cursors belong to our connections, which carry the pending BEGIN.
            adapted = cast("_OneTripConnection", self._adapt_connection)
            if operation in _BEGINS and not parameters:
                # Ride along with the transaction's first statement: one trip fewer.
                adapted._pending_begin = operation
                self.description = None
                self.lastrowid = self.rowcount = -1
                return
            begin, adapted._pending_begin = adapted._pending_begin, None
            driver = self._connection
            try:
                description, rows, lastrowid, rowcount = self.await_(
                    driver._execute(_run, driver._conn, begin, operation, parameters)
                )
            except Exception as error:
                self._adapt_connection._handle_exception(error)
            self.description = description
            self.lastrowid = lastrowid
            self.rowcount = rowcount
            if rows is not None:
                self._rows.clear()
                self._rows.extend(rows)

    class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
        __slots__ = ("_pending_begin",)

        def __init__(self, dbapi: Any, connection: Any) -> None:
            super().__init__(dbapi, connection)
            self._pending_begin: str | None = None

        def commit(self) -> None:
            if self._pending_begin is not None:  # nothing ran: nothing to commit
                self._pending_begin = None
                return
            super().commit()

        def rollback(self) -> None:
            if self._pending_begin is not None:
                self._pending_begin = None
                return
            super().rollback()

        def cursor(self, server_side: bool = False) -> Any:
            if server_side:
                return super().cursor(server_side=True)
            return _OneTripCursor(self)

    class _OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
        def connect(self, *arg: Any, **kw: Any) -> Any:
            adapted = super().connect(*arg, **kw)
            return _OneTripConnection(self, adapted._connection)

    def fast_dbapi() -> Any:
        """The DBAPI module to pass as `create_async_engine(..., module=...)`."""
        return _OneTripDbapi(aiosqlite, sqlite3)

else:  # pragma: no cover

    def fast_dbapi() -> Any:
        """Return None: this SQLAlchemy's aiosqlite internals differ; use the stock driver."""
        return None
