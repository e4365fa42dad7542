"""Admission: at most `size` units of work at a time on PostgreSQL, the rest queue here.

The connection pool used to let 30 units run at once (10 kept, 20 more opened
on demand and closed as soon as they came back). Under 32 callers that meant
a new server process, its catalogue caches and asyncpg's type introspection
every 25 or so commands, and 30 backends contending for two cores and the same
rows. Queueing at the pool instead (its overflow off) is what the raw-driver
floor does, but a unit that opens another inside itself (a job reading, then
writing per item; `/ask` reserving its spend) would then wait for a connection
only its own callers can free: 12 parallel `/ask`s deadlocked a pool of 10.

So the limit is taken here, once per outermost unit: a unit opened inside an
admitted one (in the same task, or a task it started) runs at once on the
pool's overflow, and a unit waiting on an outside service gives its turn back
for the wait (`domain.core.outside.waiting_outside`). Measured with
`guildhall bench --quick` (PostgreSQL, projector process, 32 callers, three
alternated runs each, median ratio to the floor): `/checkin` 0.23x -> 0.33x,
`/points give` 0.21x -> 0.29x, vote 0.19x -> 0.26x; 30 kept connections
without a limit gave 0.28x / 0.27x / 0.22x. README Performance, "Tenth pass".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from domain.core.outside import current_turn, enter_turn, leave_turn
from storage.gate import Gate


class _Turn:
    """One outermost unit's place; given back while it waits outside, then taken again."""

    def __init__(self, gate: Gate, urgent: bool) -> None:
        self._gate = gate
        self._urgent = urgent
        self.held = True
        self.open = True

    def give_back(self) -> bool:
        if not self.held:
            return False
        self.held = False
        self._gate.leave()
        return True

    async def take_again(self) -> None:
        await self._gate.enter(urgent=self._urgent)
        self.held = True

    def end(self) -> None:
        self.open = False
        self.give_back()


class Admission:
    """Let `size` outermost units of work run at once; later ones wait their turn.

    Waiting units enter in arrival order, except that an `urgent` one (a
    member's own short read: a few indexed statements) goes before every
    waiting write: a read is over in a millisecond or two, and without this it
    queued behind as many writes as there were callers.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._gate = Gate(size)

    @property
    def running(self) -> int:
        """Turns held now."""
        return self._gate.held

    @asynccontextmanager
    async def __call__(self, *, urgent: bool = False) -> AsyncIterator[None]:
        if current_turn() is not None:  # inside an admitted unit: never wait on ourselves
            yield
            return
        await self._gate.enter(urgent=urgent)
        turn = _Turn(self._gate, urgent)
        token = enter_turn(turn)
        try:
            yield
        finally:
            leave_turn(token)
            turn.end()
