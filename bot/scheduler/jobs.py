"""Run the cogs' jobs with APScheduler, once across every process sharing the database.

- Election: a lease row (`scheduler_leases`) taken by one atomic conditional
  UPDATE; the holder renews it every third of its lifetime, a standby takes
  it over once it has expired (within `lease_seconds`, default 45 s).
- Exactly once per scheduled time: `job_runs` remembers the last scheduled
  time each job ran for, and a run is claimed by moving that value forward
  with a conditional UPDATE, so even two processes that both believe they lead
  for a moment cannot run one scheduled time twice.
- Restarts: on start-up (and on taking over the lease) each job's latest
  missed fire time runs once if it is within the job's `grace` (None: always).
- Interrupted runs: a claimed run names its runner (`running_by`) until it
  finishes. A leader that dies mid-run leaves its name there, and the next
  leader resumes that run on takeover (the same scheduled time, handed to the
  job again; jobs are idempotent per scheduled time, so what was done is not
  done twice) instead of skipping it until the next period.

APScheduler only decides *when* to look; the database decides *what* runs.
Tests drive `heartbeat()` and `run_due()` with a FixedClock instead of waiting.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler.triggers import JobClock
from cogs.kit import Job
from domain.core.clock import Clock
from domain.core.scheduling import JobRunRepository, LeaseRepository
from domain.core.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"


def default_holder() -> str:
    """host:pid:random — unique per process, readable in /admin schedule."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class JobScheduler:
    """Elect a runner and run due jobs; `start()` hands the timing to APScheduler."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        jobs: list[Job],
        clock: Clock,
        *,
        timezone: str,
        lease_seconds: int = 45,
        holder: str | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self.jobs = {job.name: job for job in jobs}
        self.times = JobClock(jobs, timezone)
        self.timezone = timezone
        self.lease = timedelta(seconds=lease_seconds)
        self.holder = holder or default_holder()
        self._lease_until: datetime | None = None
        self._locks = {name: asyncio.Lock() for name in self.jobs}
        self._aps: AsyncIOScheduler | None = None
        self._tasks: set[asyncio.Task[object]] = set()
        self.runs = 0  # jobs this process ran (for logs and tests)
        # Told each run's job name and outcome (ok, error, skipped): the metrics.
        self.observe: Callable[[str, str], None] | None = None

    @property
    def is_leader(self) -> bool:
        return self._lease_until is not None and self._clock.now() < self._lease_until

    # -- election --------------------------------------------------------------

    async def heartbeat(self, *, catch_up: bool = True) -> bool:
        """Take or renew the lease; on becoming the runner, catch up missed jobs.

        Returns whether this process runs the jobs now.
        """
        now = self._clock.now()
        was_leader = self.is_leader
        async with self._uow() as uow:
            held = await uow.get(LeaseRepository).acquire(
                LEASE_NAME, self.holder, now, now + self.lease
            )
            await uow.commit()
        self._lease_until = now + self.lease if held else None
        if held and not was_leader:
            log.info("scheduler lease taken by %s; catching up missed jobs", self.holder)
            if catch_up:
                await self.run_due()
        elif was_leader and not held:
            log.warning("scheduler lease lost by %s", self.holder)
        return held

    async def resign(self) -> None:
        """Give the lease up at once so a standby takes over without waiting for expiry."""
        if self._lease_until is None:
            return
        async with self._uow() as uow:
            await uow.get(LeaseRepository).release(LEASE_NAME, self.holder, self._clock.now())
            await uow.commit()
        self._lease_until = None

    # -- running ---------------------------------------------------------------

    async def run_due(self) -> list[tuple[str, datetime]]:
        """Run every job whose scheduled time has come (once each); return what ran."""
        if not self.is_leader:
            return []
        now = self._clock.now()
        async with self._uow(read_only=True) as uow:
            runs = {r.name: r for r in await uow.get(JobRunRepository).all()}
        ran: list[tuple[str, datetime]] = []
        for name in self.jobs:
            run = runs.get(name)
            if run is not None and run.running_by not in (None, self.holder):
                resumed = await self._resume(name, run.last_scheduled_at, run.running_by)
                if resumed is not None:
                    ran.append((name, resumed))
            if run is not None and self.times.latest_due(name, run.last_scheduled_at, now) is None:
                continue  # nothing due: skip the write transaction
            at = await self.run_job(name)
            if at is not None:
                ran.append((name, at))
        return ran

    async def run_job(self, name: str) -> datetime | None:
        """Run `name` for its latest due scheduled time, if we lead and nobody ran it."""
        if not self.is_leader:
            return None
        job = self.jobs[name]
        async with self._locks[name]:
            now = self._clock.now()
            async with self._uow() as uow:
                repo = uow.get(JobRunRepository)
                run = await repo.get(name)
                if run is None:
                    # First sighting: start counting from now; nothing was "missed",
                    # unless the job asks to catch up its latest time within grace.
                    if not (job.catch_up_when_new and job.grace is not None):
                        await repo.start(name, now)
                        await uow.commit()
                        return None
                    await repo.start(name, now - job.grace)
                    run = await repo.get(name)
                    assert run is not None  # just written in this transaction
                due = self.times.latest_due(name, run.last_scheduled_at, now)
                if due is None:
                    return None
                too_late = job.grace is not None and now - due > job.grace
                # A dropped run has no runner to resume it: it names none.
                if not await repo.claim(name, due, None if too_late else self.holder):
                    return None
                if too_late:
                    await repo.skipped(name)
                await uow.commit()
            if too_late:
                log.info("job %s: run for %s dropped, %s late", name, due.isoformat(), now - due)
                self._observed(name, "skipped")
                return None
            return await self._execute(name, due)

    async def _resume(self, name: str, due: datetime, was: str | None) -> datetime | None:
        """Finish the run for `due` that `was` (a leader that lost its lease) left unfinished."""
        if was is None or not self.is_leader:
            return None
        job = self.jobs[name]
        async with self._locks[name]:
            async with self._uow() as uow:
                if not await uow.get(JobRunRepository).resume(name, due, was, self.holder):
                    return None  # finished meanwhile, or another leader resumed it
                await uow.commit()
            late = self._clock.now() - due
            if job.grace is not None and late > job.grace:
                log.warning("job %s: run for %s interrupted, %s late: dropped", name, due, late)
                await self._finish(name, due, f"interrupted ({was}); too late to resume")
                self._observed(name, "skipped")
                return None
            log.warning("job %s: resuming the run for %s left unfinished by %s", name, due, was)
            return await self._execute(name, due)

    async def _finish(self, name: str, due: datetime, error: str | None) -> None:
        async with self._uow() as uow:
            await uow.get(JobRunRepository).finish(name, due, self._clock.now(), error)
            await uow.commit()

    async def _execute(self, name: str, due: datetime) -> datetime:
        """Run the job's handler for `due` (the run is claimed by us) and record the outcome."""
        error: str | None = None
        try:
            await self.jobs[name].handler(due)
        except Exception as exc:  # one job's failure must not stop the others
            error = f"{type(exc).__name__}: {exc}"[:1000]
            log.exception("job %s failed for %s", name, due.isoformat())
        await self._finish(name, due, error)
        self.runs += 1
        self._observed(name, "ok" if error is None else "error")
        return due

    def _observed(self, name: str, outcome: str) -> None:
        if self.observe is not None:
            self.observe(name, outcome)

    # -- APScheduler -----------------------------------------------------------------

    def start(self) -> None:
        """Hand timing to APScheduler: each job at its trigger, the lease every third."""
        aps = AsyncIOScheduler(timezone=ZoneInfo(self.timezone))
        for name in self.jobs:
            aps.add_job(
                self._fire,
                trigger=self.times.triggers[name],
                args=[name],
                id=name,
                name=name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,  # lateness is judged by each job's grace, above
            )
        aps.add_job(
            self._beat,
            trigger=IntervalTrigger(seconds=max(self.lease.total_seconds() / 3, 1)),
            id="_scheduler_lease",
            next_run_time=datetime.now(UTC),  # APScheduler's own clock: the wall clock
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        aps.start()
        self._aps = aps

    def next_run_times(self) -> dict[str, datetime | None]:
        """APScheduler's own view of the next fire times (for logs and checks)."""
        if self._aps is None:
            return {}
        return {j.id: j.next_run_time for j in self._aps.get_jobs()}

    async def stop(self, grace: float = 5.0) -> None:
        """Stop timing; let a heartbeat or job in progress finish (up to `grace` s); resign."""
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            await self.resign()
        except Exception:  # shutting down: the lease simply expires instead
            log.warning("could not release the scheduler lease", exc_info=True)

    async def _tracked(self, work: Coroutine[Any, Any, object], what: str) -> None:
        """Run APScheduler's work in a task `stop()` can wait for.

        If the loop is torn down around it, the cancellation ends here quietly
        instead of reaching APScheduler, which would log it as a failed job.
        """
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            log.debug("scheduler %s interrupted by shutdown", what)
        except Exception:
            log.exception("scheduler %s failed", what)

    async def _fire(self, name: str) -> None:
        await self._tracked(self.run_job(name), f"job {name}")

    async def _beat(self) -> None:
        await self._tracked(self._beat_once(), "lease heartbeat")

    async def _beat_once(self) -> None:
        try:
            was_leader = self.is_leader
            if await self.heartbeat(catch_up=False) and not was_leader:
                # Catch up beside the heartbeat, so a slow job never delays renewal.
                task: asyncio.Task[object] = asyncio.create_task(self.run_due())
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        except Exception:
            log.exception("scheduler lease heartbeat failed")
            self._lease_until = None
