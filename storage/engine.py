"""Engines for SQLite (embedded default) and PostgreSQL (scale-out).

SQLite allows one writer at a time. Fifty writers through a fifty-connection
pool pile up on its lock (seconds of waiting, "database is locked"), while the
same burst through one connection takes milliseconds, so on SQLite all writes
share a single connection that starts transactions with BEGIN IMMEDIATE, and
reads use a small pool of their own (WAL lets them run beside the writer).
On PostgreSQL one pooled engine serves both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import sqlite_driver
from storage.sqlite_driver import fast_dbapi
from storage.wal import WalCheckpoints

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Reader connections (each with its driver thread). A read's statements each wait
# for the loop to take their result; with the writer on the loop that wait grew,
# and 16 readers queued for 4 connections: `/leaderboard` under writes p99 500-700 ms
# with 4, 270-330 ms with 8, 140-170 ms with 16 (guildhall bench --quick).
SQLITE_READERS = 16
# The drivers Guildhall ships, by backend; a URL naming none gets the shipped one.
DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
EXAMPLES = "sqlite+aiosqlite:///guildhall.db or postgresql+asyncpg://user@host:5432/guildhall"


class DatabaseUrlError(ValueError):
    """DATABASE_URL cannot work; the message says what is wrong, in one line."""


def normalize_url(url: str) -> str:
    """The URL with the shipped async driver (`postgresql://` -> `postgresql+asyncpg://`).

    Raises:
        DatabaseUrlError: empty, not a URL, an unsupported database or driver, or a
            SQLite file in a directory that does not exist.
    """
    if not url.strip():
        raise DatabaseUrlError(f"DATABASE_URL is empty; use e.g. {EXAMPLES}")
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise DatabaseUrlError(f"DATABASE_URL is not a database URL; use e.g. {EXAMPLES}") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend not in DRIVERS:
        raise DatabaseUrlError(
            f"DATABASE_URL names {backend!r}, which Guildhall does not support; use e.g. {EXAMPLES}"
        )
    shipped = DRIVERS[backend]
    if "+" in parsed.drivername and driver != shipped:
        raise DatabaseUrlError(
            f"DATABASE_URL asks for the {driver!r} driver; Guildhall ships {backend}+{shipped}"
        )
    parsed = parsed.set(drivername=f"{backend}+{shipped}")
    if backend == "sqlite":
        _check_sqlite_path(parsed)
    return parsed.render_as_string(hide_password=False)


def _check_sqlite_path(parsed: URL) -> None:
    if not parsed.database or parsed.database == ":memory:":
        raise DatabaseUrlError("DATABASE_URL must name a SQLite file, e.g. sqlite:///guildhall.db")
    folder = Path(parsed.database).expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseUrlError(f"DATABASE_URL: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise DatabaseUrlError(f"DATABASE_URL: the folder {folder} is not writable")


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for other databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database).expanduser()


class DatabaseUnavailable(Exception):
    """The database did not accept a connection; the message says why, in one line."""


async def check_connection(database: Database) -> None:
    """Connect once and run `SELECT 1`, turning a failure into one clear line.

    Raises:
        DatabaseUnavailable: refused, unknown host, wrong password or role, no such
            database, a SQLite file that cannot be opened.
    """
    try:
        async with database.writer.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as err:
        where = make_url(database.url).render_as_string(hide_password=True)
        cause = getattr(err, "orig", None) or err  # the driver's own error says it best
        reason = " ".join(str(cause).split())[:300] or type(cause).__name__
        raise DatabaseUnavailable(f"DATABASE_URL: cannot connect to {where}: {reason}") from err


@dataclass(frozen=True)
class Database:
    """The engines of one database: `writer` for transactions that write."""

    url: str
    writer: AsyncEngine
    reader: AsyncEngine
    # SQLite with the writer on the loop: its log is checkpointed off the loop.
    checkpoints: WalCheckpoints | None = None
    # PostgreSQL: the projector's own connections, so its batches never queue
    # behind commands for one (SQLite: the projector goes first at the writer).
    projector: AsyncEngine | None = None
    # SQLite: readers whose statements run on the event loop's thread, for the
    # short indexed reads members wait for (`quick`); `reader` keeps its threads.
    member_reader: AsyncEngine | None = None
    # PostgreSQL: connections kept in `writer`'s pool, and so the units of work
    # admitted at once (`storage.admission`); its overflow serves units opened
    # inside them.
    pool_size: int = 10

    @property
    def projecting(self) -> AsyncEngine:
        """The engine the projector's units of work run on."""
        return self.projector or self.writer

    @property
    def quick(self) -> AsyncEngine:
        """The engine for a member's own short reads (`/leaderboard`, `/profile`…).

        On SQLite their statements run on the loop's thread: a read of a few
        indexed statements then costs no trip to a driver thread per statement
        and cannot be overtaken at each of them by every other caller's work.
        Measured (`guildhall bench --quick`, 32 callers, two A/B pairs):
        `/leaderboard` alone 346-353 -> 670-926 ops/s, p99 175-186 -> 54-76 ms,
        CPU 3.3 -> 1.1-1.5 ms per read; under writes p99 103-147 -> 28-40 ms;
        the writes unchanged. Long reads (the dashboard, jobs, exports) keep
        `reader`, whose statements run beside the loop.
        """
        return self.member_reader or self.reader

    @property
    def is_sqlite(self) -> bool:
        return self.writer.dialect.name == "sqlite"

    async def dispose(self) -> None:
        if self.checkpoints is not None:
            await self.checkpoints.wait()
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()
        if self.projector is not None:
            await self.projector.dispose()
        if self.member_reader is not None:
            await self.member_reader.dispose()


def _sqlite_engine(url: str, *, pool_size: int, begin: str, on_loop: bool = False) -> AsyncEngine:
    extra: dict[str, Any] = {}
    module = fast_dbapi(on_loop=on_loop, busy_timeout_ms=SQLITE_BUSY_TIMEOUT_MS)
    if module is not None:  # one driver-thread trip per statement (see storage.sqlite_driver)
        extra["module"] = module
    on_loop = on_loop and module is not None
    # The writer on the loop waits for no lock there: a busy BEGIN is retried off
    # the loop, and the log is checkpointed off the loop (storage.wal).
    busy_timeout = 0 if on_loop else SQLITE_BUSY_TIMEOUT_MS
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
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if on_loop:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


WAKES_PROJECTORS = "guildhall.wakes_projectors"
"""PostgreSQL: the session setting that tells migration 0029's trigger this process wakes
the projectors itself (`storage.pg_wake`)."""

PG_PROJECTOR_CONNECTIONS = 4
"""PostgreSQL: connections kept for the projector, one per drain (`Projector.workers`)."""


def create_database(url: str, *, pool_size: int = 10) -> Database:
    """Build the engines for `url` (sqlite+aiosqlite:///file.db or postgresql+asyncpg://…).

    Raises:
        DatabaseUrlError: the URL cannot work (see `normalize_url`); nothing is created.
    """
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        writer = _sqlite_engine(url, pool_size=1, begin="BEGIN IMMEDIATE", on_loop=True)
        reader = _sqlite_engine(url, pool_size=SQLITE_READERS, begin="BEGIN")
        member_reader = _sqlite_engine(url, pool_size=SQLITE_READERS, begin="BEGIN", on_loop=True)
        checkpoints = WalCheckpoints(writer) if sqlite_driver.SUPPORTED else None
        return Database(url, writer, reader, checkpoints, member_reader=member_reader)
    # No pool_pre_ping: it doubled a minimal unit of work (1.03 -> 0.57 ms without).
    # Connections are recycled before servers or proxies drop idle ones, and a
    # unit of work whose connection dropped anyway is retried once (ConnectionLost).
    # `pool_size` units run at once (`storage.admission`); the overflow is for
    # units opened inside them, so it is rarely opened and closed.
    # Commands' commits wake the projectors from this process (`storage.pg_wake`),
    # so migration 0029's trigger leaves them out of NOTIFY's one-at-a-time commit.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_recycle=1800,
        connect_args={"server_settings": {WAKES_PROJECTORS: "on"}},
    )
    projector = create_async_engine(
        url, pool_size=PG_PROJECTOR_CONNECTIONS, max_overflow=0, pool_recycle=1800
    )
    return Database(url, engine, engine, projector=projector, pool_size=pool_size)
