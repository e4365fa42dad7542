"""The projector: applies logged activities to every projection, a batch per transaction.

Woken after each commit that logged activities (not polled), and for what
other processes commit (`watch`, started with the scheduler) by PostgreSQL's
NOTIFY or, on SQLite, by a short poll, it claims the next unapplied rows of
the activity log, applies them to every registered projection in one unit
of work, appends what the projections derived (XP gained, unlocks) as already
applied, marks the batch applied, and commits: all or nothing, so a crash
re-applies nothing and loses nothing. On SQLite it shares the single writer
with the commands of this process; on PostgreSQL several processes claim
disjoint batches (FOR UPDATE SKIP LOCKED).

On PostgreSQL the projector may run in a process of its own (`guildhall
project`, which `guildhall run` starts), so applying takes the second core
instead of sharing the commands' event loop. The process that logged the
activities then runs this class `elsewhere`: it applies nothing itself and
learns from each batch's NOTIFY which of its rows are applied, so its
readers still wait for exactly their own writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from storage import activity_log
from storage.pending_commits import PendingCommits

if TYPE_CHECKING:
    from storage.pg_listen import Listener
    from storage.pg_wake import Waker
    from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
"""How often a watching projector looks for activities committed by other processes
when nothing tells it of them (SQLite)."""

SAFETY_POLL_SECONDS = 5.0
"""How often it looks anyway where other processes' commits are notified (PostgreSQL
LISTEN): only a notification lost with a dropped listening connection waits for this."""

PACE_SECONDS = 0.05
"""At least this long between batches, so commits gather into one batch (a batch of
one costs about as much as a batch of fifty); a reader waiting for its own writes
cuts it short (`Projector.settle`). Measured with every feature, 32 callers: on
SQLite (where the projector goes first at the writer), 50 ms kept the lag p99 at
85-140 ms while 100 ms let it reach 300-350 ms. Paced only while commands queued
for the writer, batches were still a few activities each whenever they did not
(2,856 activities took 162-170 batches in a --quick vote run; paced always, 59).
On PostgreSQL, unpaced, each of its drains took whatever was there: 50 ms raised
/checkin 407 -> 508 ops/s and vote 345 -> 537 (with the other changes of that
pass) at the same lag."""

CATCH_UP_SECONDS = 1.0
"""Elsewhere: a commit heard of for this long is looked up in the database (a NOTIFY
lost with a dropped listening connection would otherwise keep its readers waiting)."""

TAKEOVER_SECONDS = 10.0
"""Elsewhere: a commit still unapplied after this long is applied here (the projector
process is down or restarting); the two claim disjoint batches, so nothing doubles."""

BATCH_SIZE = 256
"""Activities per projector transaction: big enough to batch, small enough to keep the
SQLite writer free for commands (a batch holds it while it applies)."""


class Projector:
    """Apply the activity log to the projections, soon after each commit."""

    def __init__(
        self,
        open_unit: Callable[..., AbstractAsyncContextManager[SqlUnitOfWork]],
        *,
        batch_size: int = BATCH_SIZE,
        workers: int = 1,
        pace: float = 0.0,
        listen: Callable[[Callable[[], None]], Listener] | None = None,
        listen_applied: Callable[[Callable[[], None], Callable[[str], None]], Listener]
        | None = None,
        waker: Waker | None = None,
    ) -> None:
        self._open = open_unit
        self.batch_size = batch_size
        self.pace = pace
        self._last_batch = 0.0  # perf_counter at the end of the last batch
        # PostgreSQL: several drains claim disjoint batches (SKIP LOCKED), so the
        # projector is not held to one statement's round trip at a time.
        self.workers = workers
        self._running: set[asyncio.Task[None]] = set()
        self._pending = PendingCommits()  # this process's commits not yet applied
        self._again = False
        self._hurry = asyncio.Event()  # a reader waits for its own writes: skip the pace
        self._in_flight = 0  # batches between their claim and their commit
        self._advanced = asyncio.Event()  # set (and replaced) after every batch
        self.lags_ms: deque[float] = deque(maxlen=200_000)
        self.batches = 0
        self.applied_activities = 0
        self.failures = 0
        self._watcher: asyncio.Task[None] | None = None
        # PostgreSQL: a listener for other processes' commits, made when watching starts.
        self._listen = listen
        self.listener: Listener | None = None
        # The projector runs in another process: hear what it applied (set before `watch`).
        self.elsewhere = False
        self._listen_applied = listen_applied
        self._missed = asyncio.Event()  # (re)connected: notifications may have been lost
        # Called when a batch applied elsewhere stored announcements (the deliverer wakes).
        self.on_announce: list[Callable[[], None]] = []
        self.waker = waker  # PostgreSQL: wakes every process's projectors after our commits

    # -- waking -------------------------------------------------------------------

    @property
    def _committed(self) -> int:
        return self._pending.last

    def committed(self, logged: Mapping[int, frozenset[int]]) -> None:
        """A unit of work committed `logged` (row id: the members it names): wake up."""
        self._pending.add(logged)
        if self.waker is not None:
            self.waker.poke()
        if not self.elsewhere:
            self.wake()

    def wake(self) -> None:
        """Start a drain unless enough are running (they will go round again)."""
        if len(self._running) < self.workers:
            task = asyncio.get_running_loop().create_task(self._drain())
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        else:
            self._again = True

    def watch(self, interval: float | None = None) -> None:
        """Also apply what other processes commit: when told, every `interval` s, and now.

        A commit in this process wakes the projector at once. On PostgreSQL a
        second `guildhall run` (or the CLI) on the same database is heard just
        after its commit: that process NOTIFYs (`storage.pg_wake`; any other
        writer through the activity log's trigger) and the listener
        (`storage.pg_listen`) wakes this projector, so the poll is only a safety
        net (`SAFETY_POLL_SECONDS`). On SQLite nothing notifies: a short poll
        (`POLL_SECONDS`) reads one row of the pending index. The first look is
        immediate: the start-up drains the backlog a crash or another process left.
        """
        if self._watcher is None and self.elsewhere:
            if self._listen_applied is not None:
                self.listener = self._listen_applied(self._missed.set, self.heard)
                self.listener.start()
            loop = asyncio.get_running_loop()
            follow = self._follow(CATCH_UP_SECONDS if interval is None else interval)
            self._watcher = loop.create_task(follow, name="projector-follow")
        if self._watcher is None:
            if interval is None:
                interval = POLL_SECONDS if self._listen is None else SAFETY_POLL_SECONDS
            if self._listen is not None:
                self.listener = self._listen(self.wake)
                self.listener.start()
            loop = asyncio.get_running_loop()
            self._watcher = loop.create_task(self._watch(interval), name="projector-watch")

    async def unwatch(self) -> None:
        """Stop looking for other processes' activities; close the listener (at shutdown)."""
        task, self._watcher = self._watcher, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        listener, self.listener = self.listener, None
        if listener is not None:
            await listener.close()

    async def _watch(self, interval: float) -> None:
        while True:
            try:
                if not self._running and await self._has_pending():
                    self.wake()
            except Exception:  # a lost connection: look again at the next tick
                log.warning("projector could not look for pending activities", exc_info=True)
            await asyncio.sleep(interval)

    # -- applied elsewhere ---------------------------------------------------------

    def heard(self, payload: str) -> None:
        """A projector (any process) applied the rows in `payload` ("3-40,42[!]")."""
        ids, announced = payload.rstrip("!"), payload.endswith("!")
        try:
            applied = activity_log.parse_ranges(ids)
        except ValueError:  # not ours to read: look the rows up instead
            log.warning("unreadable applied-activities notification %r", payload[:80])
            self._missed.set()
            return
        self._heard(applied)
        if announced:
            for callback in self.on_announce:
                callback()

    def _heard(self, ids: list[int]) -> None:
        lags = self._pending.applied(ids)
        if lags:
            self.lags_ms.extend(lags)
            self._signal()

    async def _follow(self, interval: float) -> None:
        """Elsewhere: look up commits heard of for too long; take over a stalled backlog."""
        while True:
            try:
                await self._catch_up(interval)
            except Exception:  # a lost connection: look again at the next tick
                log.warning("could not look up applied activities", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._missed.wait(), interval)

    async def _catch_up(self, interval: float) -> None:
        missed = self._missed.is_set()
        self._missed.clear()
        if not missed and self._pending.oldest_seconds() < interval:
            return  # every open commit is younger than a NOTIFY's usual delay
        rows = self._pending.rows()
        if rows:
            async with self._open(read_only=True) as uow:
                self._heard(await activity_log.applied_among(uow.connection, rows))
        if self._pending.oldest_seconds() >= TAKEOVER_SECONDS and not self._running:
            log.warning("activities wait for the projector process: applying them here")
            self.wake()

    async def _has_pending(self) -> bool:
        async with self._open(read_only=True) as uow:
            return await activity_log.has_pending(uow.connection)

    async def _drain(self) -> None:
        try:
            while True:
                self._again = False
                if self.pace:
                    await self._paced()
                _, more, mark = await self._apply_next()
                self._last_batch = time.perf_counter()
                if not more:
                    if not self._in_flight:
                        # Every row committed before `mark` was ours or held by a
                        # batch in flight at our claim, and none is in flight now.
                        self._settled(mark)
                    if not self._again:
                        return
        except Exception:
            self.failures += 1
            log.exception("projector batch failed; retried at the next wake-up")

    async def _paced(self) -> None:
        """Let commits gather for a batch: at least `pace` since the last one, unless hurried.

        A reader waiting for its own writes (`settle`) hurries the projector, so
        pacing never makes `/profile` after `/checkin` wait.
        """
        wait = self._last_batch + self.pace - time.perf_counter()
        if wait > 0 and not self._hurry.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._hurry.wait(), wait)
        self._hurry.clear()

    def _settled(self, mark: int) -> None:
        self.lags_ms.extend(self._pending.settled(mark))
        self._signal()

    def _signal(self) -> None:
        advanced, self._advanced = self._advanced, asyncio.Event()
        advanced.set()

    # -- applying -----------------------------------------------------------------

    async def run_once(self) -> int:
        """Apply the next batch of unapplied activities; return how many it applied."""
        return (await self._apply_next())[0]

    async def _apply_next(self) -> tuple[int, bool, int]:
        """Apply the next batch: (activities applied, whether more may be waiting, mark).

        The mark is the last commit of this process the claim could see. It is
        taken once the connection is ours, just before the claim (a commit is
        counted only after it is durable), so the commits that arrived while
        the projector queued for the SQLite writer count as settled too.
        """
        async with self._open(projecting=True) as uow:
            mark = self._committed
            self._in_flight += 1  # before the claim: its rows are locked from then on
            try:
                claimed = await activity_log.claim(uow.connection, self.batch_size)
                if not claimed:
                    return 0, False, mark
                batch = up_to_alone(claimed)
                derived = await uow.project([c.activity for c in batch])
                if derived:
                    await activity_log.append(uow.connection, derived, applied=True)
                announced = uow.announcing  # stored by the flush, riding with the NOTIFY
                await uow.flush()
                ids = [c.id for c in batch]
                await activity_log.mark_applied(uow.connection, ids)
                await activity_log.notify_applied(uow.connection, ids, announced)
                await uow.commit()
            finally:
                self._in_flight -= 1
        self.lags_ms.extend(self._pending.applied(ids))
        self._signal()
        self.batches += 1
        self.applied_activities += len(batch)
        more = len(claimed) == self.batch_size or len(batch) < len(claimed)
        return len(batch), more, mark

    async def settle(self, member_id: int | None = None) -> None:
        """Return once every activity this process committed before the call is applied.

        What a member reads right after acting (`/profile`, `/leaderboard`) goes
        through here, so it never looks stale to the person who acted. With
        `member_id`, only the activities naming that member are waited for, so a
        read does not queue behind every other member's writes.
        """
        target = self._committed
        failures = self.failures

        def waiting() -> bool:
            if member_id is not None:
                return self._pending.waits(member_id)
            return self._pending.open_through(target)

        while waiting() and self.failures == failures:
            self._hurry.set()
            if not self._running and not self.elsewhere:
                self.wake()
            # Wake at the next settled batch, not when the drain goes idle: under a
            # steady stream of commits a drain never does (reads waited seconds).
            advanced = asyncio.ensure_future(self._advanced.wait())
            await asyncio.wait({advanced, *self._running}, return_when=asyncio.FIRST_COMPLETED)
            advanced.cancel()

    def unsettled(self) -> frozenset[int]:
        """The members some commit of this process names that is not applied yet."""
        return self._pending.waiting()

    async def drain(self) -> int:
        """Apply everything pending, from any process; return how many were applied meanwhile.

        A drain of this process woken earlier may still be pacing or applying
        rows this one skips (they are locked): it is waited for, and what it
        applies counts, so nothing pending is left when this returns (a rebuild
        once counted none because such a drain took the reset rows).
        """
        before = self.applied_activities
        await self.settle()
        while await self.run_once():
            pass
        await self._idle()
        return self.applied_activities - before

    async def _idle(self) -> None:
        """Wait until no drain of this process runs."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def close(self) -> None:
        """Finish the running drains (at shutdown, before the engines close)."""
        await self.unwatch()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle(), 30)
        if self.waker is not None:
            await self.waker.close()

    def stats(self) -> dict[str, Any]:
        """Batches, activities and lag so far (the benchmark reports these)."""
        return {
            "batches": self.batches,
            "activities": self.applied_activities,
            "failures": self.failures,
            "lags_ms": list(self.lags_ms),
        }


def up_to_alone(claimed: list[activity_log.Logged]) -> list[activity_log.Logged]:
    """Cut a batch before an activity that must be applied alone, or take it by itself.

    Each projection applies a whole batch before the next projection runs, so a
    member merge sharing a batch would move rows before the activities logged
    ahead of it were fully applied (the rows they derive land later), and the
    activities after it would not build on the merged rows. Merges are rare: an
    extra batch each costs nothing. The rows cut off stay unapplied for the next
    batch (on PostgreSQL their locks are released at this batch's commit).
    """
    for n, logged in enumerate(claimed):
        if logged.activity.alone:
            return claimed[: n or 1]
    return claimed
