"""Wall-clock rules: evenings, quiet hours, which local day it is — DST-safe.

Every local time is built from a calendar date and a wall-clock time in the
member's zone (never by adding hours to an instant), so 20:00 stays 20:00 on
the 23- and 25-hour days of a daylight-saving change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: str) -> time:
    """Read "20:00" as time(20, 0).

    Raises:
        ValueError: not an HH:MM time of day.
    """
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time like 20:00")
    return time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window without pings; may wrap midnight (22:00-07:00)."""

    start: time
    end: time

    def contains(self, at: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def end_after(self, local: datetime) -> datetime:
        """The first local instant at or after `local` outside quiet hours."""
        if not self.contains(local.timetz().replace(tzinfo=None)):
            return local
        day = local.date()
        if local.time() >= self.end and self.start > self.end:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=local.tzinfo)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_quiet_hours(text: str) -> QuietHours:
    """Read "22:00-07:00" as QuietHours.

    Raises:
        ValueError: not two HH:MM times joined by "-", or both the same.
    """
    parts = text.replace(" ", "").split("-")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not quiet hours like 22:00-07:00")
    start, end = parse_clock(parts[0]), parse_clock(parts[1])
    if start == end:
        raise ValueError("quiet hours must start and end at different times")
    return QuietHours(start, end)


def local_now(at: datetime, timezone: str) -> datetime:
    """Return `at` on the wall clocks of `timezone`."""
    return at.astimezone(ZoneInfo(timezone))


def evening_of(day: date, at: time, timezone: str) -> datetime:
    """`at` o'clock on `day` in `timezone`, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


def reminder_due(now: datetime, timezone: str, evening: time, late_limit: timedelta) -> date | None:
    """The local date whose evening reminder is due at `now`, or None outside the window.

    Due from the evening time until `late_limit` after it: a reminder that
    would arrive later than that is dropped rather than sent at midnight.
    """
    local = local_now(now, timezone)
    start = evening_of(local.date(), evening, timezone)
    if start <= local < start + late_limit:
        return local.date()
    return None


def quiet_until(now: datetime, timezone: str, quiet: QuietHours | None) -> datetime | None:
    """When quiet hours end, if `now` is inside them for this member; else None."""
    if quiet is None:
        return None
    local = local_now(now, timezone)
    end = quiet.end_after(local)
    return None if end == local else end
