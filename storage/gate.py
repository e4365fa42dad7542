"""A gate with a number of places and two queues: urgent waiters are served first.

SQLite's one writer (one place): SQLAlchemy's pool hands the connection out
first come, first served. Under load 30–60 commands queue for it, so the
projector waited a whole queue (half a second and more) for every batch, and a
member's own read, which waits for their activities to be applied, waited as
long. The gate puts an urgent waiter (the projector) at the head of the queue;
the projector paces itself (`Projector.pace`) so that its batches stay large
while commands wait.

PostgreSQL's admission (`storage.admission`, as many places as the pool keeps
connections): there a member's own short read is the urgent waiter.

A place freed while someone waits is handed straight to them, so a newcomer
never slips in between.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator


class Gate:
    """`places` holders at once; urgent waiters are served before the others."""

    def __init__(self, places: int = 1) -> None:
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self.places = places
        self.held = 0  # places held now (a place handed on is never free in between)
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def queued(self) -> int:
        """How many wait for their turn (the projector paces itself while some do)."""
        return len(self._urgent) + len(self._waiting)

    @contextlib.asynccontextmanager
    async def turn(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """Hold a place for the block; `urgent` goes before every non-urgent waiter."""
        await self.enter(urgent=urgent)
        try:
            yield
        finally:
            self.leave()

    async def enter(self, *, urgent: bool = False) -> None:
        """Take a place, waiting for one if all are held."""
        if self.held < self.places:  # then nobody waits: a freed place is handed on
            self.held += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._waiting
        queue.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.leave()  # handed the place as we were cancelled: pass it on
            else:
                queue.remove(turn)
            raise

    def leave(self) -> None:
        """Give a place up: to the first urgent waiter, else the first waiter, else free."""
        for queue in (self._urgent, self._waiting):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)  # the place stays held: it passes on
                    return
        self.held -= 1
