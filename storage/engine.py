"""Engines for SQLite (embedded default) and PostgreSQL (scale-out).

SQLite allows one writer at a time. Fifty writers through a fifty-connection
pool pile up on its lock (seconds of waiting, "database is locked"), while the
same burst through one connection takes milliseconds, so on SQLite all writes
share a single connection that starts transactions with BEGIN IMMEDIATE, and
reads use a small pool of their own (WAL lets them run beside the writer).
On PostgreSQL one pooled engine serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.sqlite_driver import fast_dbapi

SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Database:
    """The engines of one database: `writer` for transactions that write."""

    url: str
    writer: AsyncEngine
    reader: AsyncEngine

    @property
    def is_sqlite(self) -> bool:
        return self.writer.dialect.name == "sqlite"

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()


def _sqlite_engine(url: str, *, pool_size: int, begin: str) -> AsyncEngine:
    extra: dict[str, Any] = {}
    module = fast_dbapi()
    if module is not None:  # one driver-thread trip per statement (see storage.sqlite_driver)
        extra["module"] = module
    # No rollback when a connection returns to the pool: every unit of work
    # ends its own transaction (commit, or rollback in its `finally`), and on
    # SQLite that extra ROLLBACK is one more trip to the driver's thread.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=120,
        pool_reset_on_return=None,
        **extra,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves: the driver's implicit BEGIN is DEFERRED
        # and would upgrade to a write lock mid-transaction (SQLITE_BUSY).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def create_database(url: str, *, pool_size: int = 10) -> Database:
    """Build the engines for `url` (sqlite+aiosqlite:///file.db or postgresql+asyncpg://…)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError("Guildhall needs a SQLite file, not an in-memory database")
        writer = _sqlite_engine(url, pool_size=1, begin="BEGIN IMMEDIATE")
        reader = _sqlite_engine(url, pool_size=4, begin="BEGIN")
        return Database(url, writer, reader)
    # No pool_pre_ping: it doubled a minimal unit of work (1.03 -> 0.57 ms without).
    # Connections are recycled before servers or proxies drop idle ones, and a
    # unit of work whose connection dropped anyway is retried once (ConnectionLost).
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size * 2, pool_recycle=1800
    )
    return Database(url, engine, engine)
