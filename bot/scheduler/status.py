"""What `/admin schedule` shows: jobs with next runs, the runner, the outbox backlog."""

from __future__ import annotations

from datetime import datetime

from bot.scheduler.jobs import LEASE_NAME
from bot.scheduler.triggers import JobClock
from cogs.kit import Job
from domain.core.ids import CommunityId
from domain.core.scheduling import (
    JobRunRepository,
    JobStatus,
    LeaseRepository,
    OutboxStats,
    ScheduleStatus,
)
from domain.core.uow import UnitOfWork


class ScheduleStatusReader:
    """Implements `domain.core.scheduling.ScheduleReader` from the declared jobs and database."""

    def __init__(self, jobs: list[Job], timezone: str) -> None:
        self._times = JobClock(jobs, timezone)

    async def status(
        self, uow: UnitOfWork, community_id: CommunityId, now: datetime
    ) -> ScheduleStatus:
        runs = {r.name: r for r in await uow.get(JobRunRepository).all()}
        jobs = []
        for name, job in sorted(self._times.jobs.items()):
            run = runs.get(name)
            jobs.append(
                JobStatus(
                    name=name,
                    description=job.description,
                    trigger=self._times.describe(name),
                    next_run=self._times.next_run(name, now),
                    last_run=run.last_scheduled_at if run and run.last_finished_at else None,
                    last_error=run.last_error if run else None,
                )
            )
        return ScheduleStatus(
            jobs=jobs,
            runner=await uow.get(LeaseRepository).holder(LEASE_NAME, now),
            backlog=await uow.get(OutboxStats).backlog(community_id, now),
        )
