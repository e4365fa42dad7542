"""Checkpoint SQLite's write-ahead log off the event loop.

The writer's statements and commits run on the loop's thread
(`storage.sqlite_driver`). SQLite's automatic checkpoint runs inside whichever
COMMIT pushes the log past 1,000 pages: it copies the log into the database
file and syncs it, milliseconds of disk work that would stop every coroutine.
So the writer connection has `wal_autocheckpoint=0`, and after every
`every` commits this takes the writer connection between two transactions and
runs a PASSIVE checkpoint on the driver's own thread, as SQLite's automatic
checkpoint did (the writer is held meanwhile, as it was), but with the loop free.
Taking the writer matters: a checkpoint from another connection while commands
keep appending never finds the log fully copied, so the log is never restarted
and grows (12 MB for 8 MB of rows in a test; 250 MB in a bench run).
PASSIVE never waits for readers; what it cannot copy yet, the next one does.
SQLite also checkpoints when the last connection closes.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

# About SQLite's own 1,000-page trigger: a check-in's commit writes 5-10 pages.
CHECKPOINT_EVERY = 200


class WalCheckpoints:
    """Count the writer's commits and checkpoint the log in the background."""

    def __init__(self, writer: AsyncEngine, every: int = CHECKPOINT_EVERY) -> None:
        self._writer = writer
        self._every = every
        self._commits = 0
        self._running: asyncio.Task[None] | None = None
        self.done = 0  # checkpoints run (a test reads it)

    def committed(self) -> None:
        """One more commit on the writer; start a checkpoint when enough have piled up."""
        self._commits += 1
        if self._commits < self._every or self._running is not None:
            return
        self._commits = 0
        self._running = asyncio.get_running_loop().create_task(self._checkpoint())

    async def wait(self) -> None:
        """Wait for a running checkpoint (before closing the database)."""
        if self._running is not None:
            await asyncio.shield(self._running)

    async def _checkpoint(self) -> None:
        try:
            async with self._writer.connect() as conn:
                # On the driver's own thread, outside SQLAlchemy's transaction.
                raw = await conn.get_raw_connection()
                driver = raw.driver_connection
                assert driver is not None
                async with driver.execute("PRAGMA wal_checkpoint(PASSIVE)") as cursor:
                    await cursor.fetchall()
            self.done += 1
        except Exception:  # the log only grows until the next one: worth a warning
            log.warning("WAL checkpoint failed", exc_info=True)
        finally:
            self._running = None
