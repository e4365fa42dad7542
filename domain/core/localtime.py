"""Local time: which day an instant falls on, wherever the member or community is.

Shared by every feature that counts days, weeks or months (check-ins, daily
caps, gift quotas, leaderboard seasons, quest windows), so none of them has
to import another feature for it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


def local_day(at: datetime, timezone: str) -> date:
    """The calendar date of `at` on the wall clocks of `timezone`."""
    return at.astimezone(ZoneInfo(timezone)).date()


def next_local_midnight(at: datetime, timezone: str) -> datetime:
    """The next local midnight after `at`, as an aware datetime in that zone.

    Built from the calendar date rather than by adding 24 hours, so it stays
    right on the 23- and 25-hour days of a daylight-saving change.
    """
    zone = ZoneInfo(timezone)
    tomorrow = at.astimezone(zone).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone)


def day_start(day: date, timezone: str) -> datetime:
    """Local midnight at the start of `day` in `timezone`, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone))


def local_day_start(at: datetime, timezone: str) -> datetime:
    """The local midnight that began the day `at` falls on, as an aware datetime."""
    return day_start(local_day(at, timezone), timezone)


@lru_cache(maxsize=1)
def known_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted (read from tzdata once: it scans files)."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    return {z.lower(): z for z in known_zones()}


def normalise_zone(name: str) -> str | None:
    """The IANA name the member meant ("europe/berlin" -> "Europe/Berlin"), or None."""
    cleaned = name.strip().replace(" ", "_")
    return _zones_by_lower_name().get(cleaned.lower())


def week_key(day: date) -> str:
    """The ISO week a day belongs to, as "2026-W49" (weeks start on Monday)."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def month_key(day: date) -> str:
    """The month a day belongs to, as "2026-11"."""
    return f"{day.year}-{day.month:02d}"


def day_key(day: date) -> str:
    """The day itself, as "2026-11-30"."""
    return day.isoformat()
