"""When quests run: windows, repeat periods and the weekly rotation's picks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.core import localtime
from domain.quests.errors import QuestDateRangeError, QuestScheduleError
from domain.quests.model import Repeat

ONCE = "once"
DEFAULT_LENGTH = timedelta(days=7)
LONGEST = timedelta(days=366)


def window(
    now: datetime,
    timezone: str,
    starts: date | None,
    ends: date | timedelta | None,
) -> tuple[datetime, datetime]:
    """Turn a moderator's start and end into instants.

    A start date means local midnight of that day (no date: now). An end date
    is inclusive (the quest runs through that local day); a duration counts
    from the start; nothing means a week.

    Raises:
        QuestScheduleError: the end is not after the start or now, or the quest is over a year.
        QuestDateRangeError: a day given is more than a year before or after today.
    """
    today = localtime.local_day(now, timezone)
    first, last = today - LONGEST, today + LONGEST
    for option, day in (("starts", starts), ("ends", ends)):
        # Checked before any arithmetic: 9999-12-31 plus a day would overflow.
        if isinstance(day, date) and option == "ends" and day < first:
            raise QuestScheduleError(problem="the end must come after the start")
        if isinstance(day, date) and not first <= day <= last:
            raise QuestDateRangeError(option=option, value=day, first=first, last=last)
    starts_at = now if starts is None else localtime.day_start(starts, timezone)
    if isinstance(ends, date):
        ends_at = localtime.day_start(ends + timedelta(days=1), timezone)
    else:
        ends_at = starts_at + (DEFAULT_LENGTH if ends is None else ends)
    if ends_at <= starts_at:
        raise QuestScheduleError(problem="the end must come after the start")
    if ends_at <= now:
        raise QuestScheduleError(problem="the end is already in the past")
    if ends_at - starts_at > LONGEST:
        raise QuestScheduleError(problem="a quest can run for at most a year")
    return starts_at, ends_at


def period_of(repeat: Repeat, at: datetime, timezone: str) -> str:
    """The progress period `at` falls in: "once", a local date, or an ISO week."""
    if repeat is Repeat.NONE:
        return ONCE
    day = localtime.local_day(at, timezone)
    return localtime.day_key(day) if repeat is Repeat.DAILY else localtime.week_key(day)


def week_window(at: datetime, timezone: str) -> tuple[str, datetime, datetime]:
    """The local ISO week containing `at`: its key, Monday 00:00 and the next Monday 00:00."""
    day = localtime.local_day(at, timezone)
    monday = day - timedelta(days=day.weekday())
    return (
        localtime.week_key(day),
        localtime.day_start(monday, timezone),
        localtime.day_start(monday + timedelta(days=7), timezone),
    )


def rotation_picks(week_monday: date, pool_size: int, per_week: int) -> list[int]:
    """Which pool entries a week opens: consecutive ones, moving on each week.

    Deterministic, so a rerun of the job (or another process) picks the same.
    """
    if pool_size == 0 or per_week == 0:
        return []
    count = min(per_week, pool_size)
    week_number = (week_monday - date(2000, 1, 3)).days // 7  # 2000-01-03 was a Monday
    return [(week_number * count + i) % pool_size for i in range(count)]
