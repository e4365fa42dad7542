"""Scheduling and delivery state kept in the database, so restarts lose nothing.

The scheduler (bot/scheduler) elects one runner with a lease row, remembers
the last scheduled time each job ran for, and a deliverer claims outbox rows.
These are the storage interfaces it needs, plus the read model that
`/admin schedule` shows; domain code never talks to APScheduler or a platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork


class LeaseRepository(Protocol):
    """A named lease: at most one holder until it expires."""

    async def acquire(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take or renew the lease if it is ours or expired; True when `holder` now has it."""
        ...

    async def release(self, name: str, holder: str, now: datetime) -> None: ...

    async def holder(self, name: str, now: datetime) -> str | None: ...


@dataclass(frozen=True, slots=True)
class JobRun:
    """What the database remembers about one job."""

    name: str
    last_scheduled_at: datetime
    last_finished_at: datetime | None = None
    last_error: str | None = None
    skipped: int = 0
    running_by: str | None = None  # the process running `last_scheduled_at`, until it finishes


class JobRunRepository(Protocol):
    """Record each job's last and next run, for the schedule view and catch-up."""

    async def get(self, name: str) -> JobRun | None: ...

    async def start(self, name: str, scheduled_at: datetime) -> bool:
        """Record a first sighting; False if another process recorded it first."""
        ...

    async def claim(self, name: str, scheduled_at: datetime, holder: str | None = None) -> bool:
        """Move the job forward to `scheduled_at` (run by `holder`); False if someone already did.

        This conditional update is what makes a scheduled time run once even
        when two processes both believe they hold the lease for a moment.
        """
        ...

    async def resume(self, name: str, scheduled_at: datetime, was: str, holder: str) -> bool:
        """Take over an unfinished run from `was` (a leader that died); False if taken."""
        ...

    async def finish(
        self, name: str, scheduled_at: datetime, now: datetime, error: str | None
    ) -> None: ...

    async def skipped(self, name: str) -> None: ...

    async def all(self) -> list[JobRun]: ...


@dataclass(frozen=True, slots=True)
class ClaimedAnnouncement:
    """An outbox row a deliverer owns until `claimed_until`."""

    id: int
    community_id: CommunityId
    kind: str
    dedupe_key: str
    target: str
    channel_kind: str | None
    member_id: MemberId | None
    anchor: str | None
    payload: dict[str, Any]
    attempts: int
    # When a deliverer first claimed it, if before this claim: it may have been sent already.
    claimed_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkspaceRef:
    """A platform workspace linked to a community."""

    platform: str
    workspace_id: str


class OutboxQueue(Protocol):
    """The deliverer's side of the outbox."""

    async def claim(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[ClaimedAnnouncement]:
        """Take up to `limit` due, unclaimed pending rows (SKIP LOCKED on PostgreSQL)."""
        ...

    async def renew(self, outbox_id: int, worker: str, until: datetime) -> bool:
        """Extend our claim just before sending; False if it expired and someone took it."""
        ...

    async def workspaces(self, community_id: CommunityId) -> list[WorkspaceRef]: ...

    async def delivered_to(self, outbox_id: int) -> set[tuple[str, str]]:
        """(platform, workspace) pairs this announcement already reached."""
        ...

    async def record_delivery(
        self, outbox_id: int, platform: str, workspace_id: str, message: str | None, now: datetime
    ) -> bool: ...

    async def mark_sent(self, outbox_id: int, worker: str, now: datetime) -> bool: ...

    async def retry(
        self, outbox_id: int, worker: str, not_before: datetime, error: str
    ) -> bool: ...

    async def postpone(self, outbox_id: int, worker: str, not_before: datetime) -> bool:
        """Give a claimed row back untried (its platform is paused); attempts unchanged."""
        ...

    async def fail(self, outbox_id: int, worker: str, error: str) -> bool: ...

    async def next_due(self, now: datetime) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class FailedAnnouncement:
    """An announcement that could not be delivered, for moderators to see."""

    id: int
    kind: str
    dedupe_key: str
    error: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Backlog:
    """Counts of the outbox by state."""

    pending: int = 0
    due: int = 0
    retrying: int = 0
    failed: int = 0
    sent: int = 0
    recent_failures: list[FailedAnnouncement] = field(default_factory=list)


class OutboxStats(Protocol):
    """Read the outbox backlog and recent failures."""

    async def backlog(self, community_id: CommunityId, now: datetime) -> Backlog: ...


@dataclass(frozen=True, slots=True)
class JobStatus:
    """One scheduled job as `/admin schedule` shows it."""

    name: str
    description: str
    trigger: str
    next_run: datetime | None
    last_run: datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class ScheduleStatus:
    """Everything /admin schedule shows: jobs, the runner and the outbox."""

    jobs: list[JobStatus]
    runner: str | None  # who holds the scheduler lease now
    backlog: Backlog


class ScheduleReader(Protocol):
    """Provided by the scheduler (bot/scheduler); read by `/admin schedule`."""

    async def status(
        self, uow: UnitOfWork, community_id: CommunityId, now: datetime
    ) -> ScheduleStatus: ...
