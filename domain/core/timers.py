"""Durable one-off timers: rows in the database, swept by a periodic job.

A proposal's deadline or an event's reminder is a `Timer` row, stored with
the change that created it. A feature's periodic job (`Every(1 minute)`,
grace None) calls `sweep`, which fires each due timer in its own unit of
work: the conditional `fire` claim and the handler's effects commit together,
so a timer fires exactly once — across restarts (nothing lives in memory) and
across processes (the claim is a conditional UPDATE).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Timer:
    """Fire `kind` for `key` at `due_at`; `key` is unique, so scheduling twice keeps one."""

    community_id: CommunityId
    kind: str
    key: str
    due_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None


class TimerRepository(Protocol):
    """Store timers that fire once at their time, across restarts."""

    async def schedule(self, timer: Timer, now: datetime) -> bool:
        """Store the timer; False when its key is already scheduled."""
        ...

    async def reschedule(self, kind: str, key: str, due_at: datetime) -> bool:
        """Move an unfired timer; False when there is none."""
        ...

    async def cancel(self, kind: str, key: str) -> bool: ...

    async def due(self, kind: str, now: datetime, limit: int) -> list[Timer]: ...

    async def fire(self, timer_id: int, now: datetime) -> bool:
        """Claim a due timer; False when another sweep fired (or someone cancelled) it."""
        ...


TimerHandler = Callable[[UnitOfWork, Timer], Awaitable[None]]


async def sweep(
    uow: UnitOfWorkFactory, kind: str, now: datetime, handler: TimerHandler, limit: int = 100
) -> int:
    """Fire every due timer of `kind`; return how many fired.

    A handler that raises rolls its timer back (it fires at the next sweep)
    without stopping the others.
    """
    async with uow(read_only=True) as reading:
        timers = await reading.get(TimerRepository).due(kind, now, limit)
    fired = 0
    for timer in timers:
        assert timer.id is not None
        try:
            async with uow() as work:
                if not await work.get(TimerRepository).fire(timer.id, now):
                    continue
                await handler(work, timer)
                await work.commit()
                fired += 1
        except Exception:
            log.exception("timer %s %s failed; it will be retried", kind, timer.key)
    return fired
