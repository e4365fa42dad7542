"""Calendar rules: which local day an instant falls on, wherever the member is."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


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
