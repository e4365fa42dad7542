"""Calendar periods of boards and quests, in the community's time zone.

A period is named by a key that sorts and reads well: "all", "2026-W47"
(ISO week, Monday to Sunday) and "2026-11". Totals are filed under the key of
the local date an activity happened on, so the week "resets" at local Monday
00:00 without anything being wiped: last week's rows stay, as its season.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from domain.core import localtime
from domain.core.localtime import month_key, week_key
from domain.leaderboards.model import Period

ALL = "all"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


local_date = localtime.local_day
local_midnight = localtime.day_start


def key_for(period: Period, at: datetime, timezone: str) -> str:
    """The key of the period that contains `at` (local to `timezone`)."""
    if period is Period.ALL:
        return ALL
    day = local_date(at, timezone)
    return week_key(day) if period is Period.WEEK else month_key(day)


def all_keys(at: datetime, timezone: str) -> dict[Period, str]:
    """Return the key of every period that contains `at`."""
    return {p: key_for(p, at, timezone) for p in Period}


def season_start(period: Period, key: str) -> date | None:
    """First local day of a season key, or None when the key is not a valid season.

    "2026-W46" must be a real ISO week and "2026-11" a real month.
    """
    if period is Period.WEEK and (m := _WEEK.match(key)):
        try:
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
    if period is Period.MONTH and (m := _MONTH.match(key)):
        year, month = int(m.group(1)), int(m.group(2))
        return date(year, month, 1) if 1 <= month <= 12 and year >= 2000 else None
    return None


def season_days(period: Period, key: str) -> tuple[date, date] | None:
    """First and last local day of a season, or None when the key is invalid."""
    start = season_start(period, key)
    if start is None:
        return None
    if period is Period.WEEK:
        return start, start + timedelta(days=6)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - timedelta(days=1)
