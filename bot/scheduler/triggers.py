"""Jobs' triggers as APScheduler triggers, and the fire times they imply.

Cron triggers run in the community's zone, so "Monday 09:00" and "20:00"
stay on the wall clock across daylight-saving changes. Interval triggers are
anchored to a fixed epoch, so every process computes the same fire times and
the database can tell which scheduled time already ran.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from cogs.kit import Cron, Every, Job

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_TINY = timedelta(microseconds=1)
MAX_STEPS = 200_000  # a week of per-minute fires is 10k; beyond this we only need "late"


def make_trigger(trigger: Cron | Every, timezone: str) -> BaseTrigger:
    """Turn a cog's `Cron` or `Every` into an APScheduler trigger in the community's zone."""
    if isinstance(trigger, Every):
        return IntervalTrigger(seconds=trigger.interval.total_seconds(), start_date=EPOCH)
    return CronTrigger(
        minute=trigger.minute,
        hour=trigger.hour,
        day_of_week=trigger.day_of_week,
        day=trigger.day,
        timezone=ZoneInfo(timezone),
    )


def describe(trigger: Cron | Every, timezone: str) -> str:
    """Describe a trigger as "every 5m" or "cron 0 9 * * mon (Europe/Berlin)".

    Five fields as in crontab (minute hour day month weekday), so a moderator
    reads the monthly post's "0 9 1 * *" as the first of the month at 09:00.
    """
    if isinstance(trigger, Every):
        seconds = int(trigger.interval.total_seconds())
        if seconds % 3600 == 0:
            return f"every {seconds // 3600}h"
        if seconds % 60 == 0:
            return f"every {seconds // 60}m"
        return f"every {seconds}s"
    fields = f"{trigger.minute} {trigger.hour} {trigger.day} * {trigger.day_of_week}"
    return f"cron {fields} ({timezone})"


def next_fire(trigger: BaseTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after `after`, in UTC."""
    found = trigger.get_next_fire_time(None, after + _TINY)
    return found.astimezone(UTC) if found is not None else None


def latest_due(trigger: BaseTrigger, last: datetime, now: datetime) -> datetime | None:
    """The latest fire time in (last, now], or None when nothing fell due."""
    due = next_fire(trigger, last)
    if due is None or due > now:
        return None
    for _ in range(MAX_STEPS):
        following = next_fire(trigger, due)
        if following is None or following > now:
            return due
        due = following
    return due  # pragma: no cover - absurdly long downtime; still one run


class JobClock:
    """Fire times of the declared jobs, without running anything."""

    def __init__(self, jobs: list[Job], timezone: str) -> None:
        self.jobs = {job.name: job for job in jobs}
        self.timezone = timezone
        self.triggers = {job.name: make_trigger(job.trigger, timezone) for job in jobs}

    def next_run(self, name: str, now: datetime) -> datetime | None:
        return next_fire(self.triggers[name], now)

    def latest_due(self, name: str, last: datetime, now: datetime) -> datetime | None:
        return latest_due(self.triggers[name], last, now)

    def describe(self, name: str) -> str:
        return describe(self.jobs[name].trigger, self.timezone)
