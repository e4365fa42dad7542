"""SQLite's writer on the event loop: it never waits for a lock there, lets others run,
keeps its transactions whole, and its log is checkpointed off the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.engine import Database, create_database
from storage.sqlite_driver import SUPPORTED

pytestmark = pytest.mark.skipif(not SUPPORTED, reason="stock aiosqlite adapter in use")


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with db.writer.connect() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"))
        await conn.commit()
    yield db
    await db.dispose()


class Ticker:
    """Count how often the loop gets round to another coroutine."""

    def __init__(self) -> None:
        self.ticks = 0
        self._stop = False

    async def run(self) -> None:
        while not self._stop:
            self.ticks += 1
            await asyncio.sleep(0)

    def stop(self) -> None:
        self._stop = True


async def _count(db: Database) -> int:
    async with db.reader.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM t"))).scalar_one())


async def held_elsewhere(path: str, theirs: str, ours: Callable[[], Awaitable[None]]) -> None:
    """Another process (a `guildhall` command, a backup) holds SQLite's write lock, having
    run `theirs`, while `ours` starts: ours waits off the loop (the loop runs on), and
    finishes once the lock is let go."""
    other = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(theirs)
    release = threading.Event()
    releaser = threading.Thread(target=lambda: (release.wait(30), other.execute("COMMIT")))
    releaser.start()
    ticker = Ticker()
    ticking = asyncio.ensure_future(ticker.run())
    writing = asyncio.ensure_future(ours())
    await asyncio.sleep(0.2)
    assert not writing.done()  # waiting, not failed
    before = ticker.ticks
    await asyncio.sleep(0.05)
    assert ticker.ticks > before  # the wait is on the driver's thread
    release.set()
    await asyncio.wait_for(writing, timeout=30)
    ticker.stop()
    await ticking
    releaser.join()
    other.close()


async def test_a_write_lock_held_by_another_process_is_waited_for_off_the_loop(
    database: Database, tmp_path: Path
) -> None:
    async def write() -> None:
        async with database.writer.connect() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('ours')"))
            await conn.commit()

    await held_elsewhere(str(tmp_path / "w.db"), "INSERT INTO t (v) VALUES ('theirs')", write)
    async with database.reader.connect() as conn:
        rows = (await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    assert rows == ["theirs", "ours"]


async def test_a_member_read_refused_as_busy_waits_off_the_loop_and_answers(
    database: Database, tmp_path: Path
) -> None:
    """Members' reads run on the loop (`Database.quick`); SQLite busy sends one to its thread."""
    async with database.writer.connect() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('before')"))
        await conn.commit()
    await database.writer.dispose()  # closed: the exclusive lock below needs the file alone
    # A connection in exclusive locking mode that wrote keeps every reader out.
    other = sqlite3.connect(tmp_path / "w.db", check_same_thread=False, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO t (v) VALUES ('theirs')")
    release = threading.Event()

    def let_go() -> None:
        release.wait(30)
        other.execute("COMMIT")
        other.execute("PRAGMA locking_mode=NORMAL")
        other.execute("SELECT count(*) FROM t").fetchall()  # drops the exclusive lock
        other.close()

    releaser = threading.Thread(target=let_go)
    releaser.start()
    ticker = Ticker()
    ticking = asyncio.ensure_future(ticker.run())

    async def read() -> list[str]:
        async with database.quick.connect() as conn:
            return list((await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars())

    reading = asyncio.ensure_future(read())
    await asyncio.sleep(0.2)
    assert not reading.done()  # waiting, not failed
    before = ticker.ticks
    await asyncio.sleep(0.05)
    assert ticker.ticks > before  # and the loop ran on meanwhile
    release.set()
    assert await asyncio.wait_for(reading, timeout=30) == ["before", "theirs"]
    ticker.stop()
    await ticking
    releaser.join()


async def test_a_long_transaction_lets_other_coroutines_run_before_it_commits(
    database: Database,
) -> None:
    ticker = Ticker()
    ticking = asyncio.ensure_future(ticker.run())
    await asyncio.sleep(0)
    seen_during: list[int] = []
    async with database.writer.connect() as conn:
        start = ticker.ticks
        for n in range(400):
            await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"row {n}"})
        seen_during.append(ticker.ticks - start)
        await conn.commit()
    ticker.stop()
    await ticking
    assert seen_during[0] > 0
    assert await _count(database) == 400


async def test_executemany_first_in_a_transaction_is_inside_it(database: Database) -> None:
    # The deferred BEGIN rides with the first statement, executemany included:
    # a rollback takes the rows back.
    async with database.writer.connect() as conn:
        await conn.execute(
            text("INSERT INTO t (v) VALUES (:v)"), [{"v": "a"}, {"v": "b"}, {"v": "c"}]
        )
        await conn.rollback()
    assert await _count(database) == 0
    async with database.writer.connect() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "a"}, {"v": "b"}])
        await conn.commit()
    assert await _count(database) == 2


async def test_a_failed_statement_rolls_back_and_the_writer_is_free_again(
    database: Database,
) -> None:
    with pytest.raises(Exception, match="NOT NULL"):
        async with database.writer.connect() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('kept?')"))
            await conn.execute(text("INSERT INTO t (v) VALUES (NULL)"))
    async with database.writer.connect() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('next')"))
        await conn.commit()
    async with database.reader.connect() as conn:
        rows = (await conn.execute(text("SELECT v FROM t"))).scalars().all()
    assert rows == ["next"]


async def test_the_log_is_checkpointed_and_restarted_under_steady_writes(
    database: Database, tmp_path: Path
) -> None:
    assert database.checkpoints is not None
    row = "x" * 4000  # about a page per commit
    for _ in range(2000):
        async with database.writer.connect() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": row})
            await conn.commit()
        database.checkpoints.committed()
    await database.checkpoints.wait()
    assert database.checkpoints.done >= 5
    # 2,000 pages written; the log restarts after each full checkpoint and stays
    # a fraction of that (SQLite's own automatic checkpoint is off on this writer).
    wal = (tmp_path / "w.db-wal").stat().st_size
    assert wal < 1000 * 4096
    assert await _count(database) == 2000
