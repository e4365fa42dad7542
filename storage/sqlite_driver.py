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
from typing import Any

import aiosqlite

try:  # pragma: no cover - import guard for other SQLAlchemy versions
    from sqlalchemy.dialects.sqlite.aiosqlite import (
        AsyncAdapt_aiosqlite_connection,
        AsyncAdapt_aiosqlite_cursor,
        AsyncAdapt_aiosqlite_dbapi,
    )
except ImportError:  # pragma: no cover
    AsyncAdapt_aiosqlite_dbapi = None  # type: ignore[assignment,misc]


def _run(
    conn: sqlite3.Connection, operation: str, parameters: Any
) -> tuple[Any, list[Any] | None, int, int]:
    """Execute, fetch and close on the driver's thread: the four trips in one."""
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
            driver = self._connection
            try:
                description, rows, lastrowid, rowcount = self.await_(
                    driver._execute(_run, driver._conn, operation, parameters)
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
        __slots__ = ()

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
        return None
