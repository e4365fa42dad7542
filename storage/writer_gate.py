"""Turns at SQLite's one writer, with the projector served before queued commands.

SQLite has one writer connection per process, and SQLAlchemy's pool hands it
out first come, first served. Under load 30–60 commands queue for it, so the
projector waited a whole queue (half a second and more) for every batch, and a
member's own read, which waits for their activities to be applied, waited as
long. The gate puts an urgent waiter (the projector) at the head of the queue;
the projector paces itself (`Projector.pace`) so that its batches stay large
while commands wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator


class WriterGate:
    """A lock with two queues: urgent waiters are served before the others."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def queued(self) -> int:
        """How many wait for their turn (the projector paces itself while some do)."""
        return len(self._urgent) + len(self._waiting)

    @contextlib.asynccontextmanager
    async def turn(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """Hold the writer for the block; `urgent` goes before every queued command."""
        await self._acquire(urgent)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not self._held and not self.queued:
            self._held = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._waiting
        queue.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release()  # handed the turn as we were cancelled: pass it on
            else:
                queue.remove(turn)
            raise

    def _release(self) -> None:
        for queue in (self._urgent, self._waiting):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)  # the gate stays held: the turn passes
                    return
        self._held = False
