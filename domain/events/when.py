"""Natural-language times ("tomorrow 18:00", "fri 5pm") in the member's own zone.

dateparser reads the words; the rules around it refuse what a member could
not have meant precisely: no time of day, a day/month order that reads two
ways, or a moment already past. Every refusal says what was understood.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser

from domain.events.errors import (
    UnknownTimezoneError,
    WhenAmbiguousError,
    WhenInPastError,
    WhenUnclearError,
    WhenWithoutTimeError,
)

MAX_TEXT = 80
_HAS_TIME = re.compile(
    r"\d{1,2}:\d{2}|\d\s*(?:am|pm)\b|\bnoon\b|\bmidnight\b"
    r"|\bin\s+\d+\s*(?:h|hrs?|hours?|m|mins?|minutes?)\b",
    re.IGNORECASE,
)
_SHOWN = "%a %d %b %Y %H:%M"


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone `name`.

    Raises:
        UnknownTimezoneError: no such zone.
    """
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezoneError(zone=name.strip()[:40]) from None


def _parse(text: str, base: datetime, order: str, timezone: str) -> datetime | None:
    try:
        return dateparser.parse(
            text,
            languages=["en"],
            settings={
                "RELATIVE_BASE": base,
                "PREFER_DATES_FROM": "future",
                "RETURN_AS_TIMEZONE_AWARE": False,
                "DATE_ORDER": order,
                # Naive results are on the member's wall clock; a zone named in the
                # text ("5pm UTC") is converted to it, never to the machine's zone.
                "TIMEZONE": timezone,
                "TO_TIMEZONE": timezone,
            },
        )
    except (ValueError, OverflowError, TypeError):
        return None


def parse_when(text: str, now: datetime, timezone: str) -> datetime:
    """The aware UTC instant `text` names, read in `timezone` as of `now`.

    Raises:
        WhenUnclearError: the words name no time.
        WhenWithoutTimeError: a day without a time of day.
        WhenAmbiguousError: 01/02 could be the 1st of February or the 2nd of January.
        WhenInPastError: the moment has passed.
        UnknownTimezoneError: `timezone` is not an IANA zone.
    """
    zone = zone_of(timezone)
    given = " ".join(text.split())[:MAX_TEXT]
    if not given or "\x00" in given:
        raise WhenUnclearError(given=given)
    base = now.astimezone(zone).replace(tzinfo=None)
    first = _parse(given, base, "DMY", zone.key)
    second = _parse(given, base, "MDY", zone.key)
    if first is None or second is None:
        raise WhenUnclearError(given=given)
    if first != second:
        raise WhenAmbiguousError(
            given=given, first=first.strftime(_SHOWN), second=second.strftime(_SHOWN)
        )
    if not _HAS_TIME.search(given):
        raise WhenWithoutTimeError(given=given, day=first.strftime("%a %d %b %Y"))
    at = first.replace(second=0, microsecond=0, tzinfo=zone).astimezone(UTC)
    if at <= now:
        raise WhenInPastError(given=given, shown=shown(at, timezone))
    return at


def shown(at: datetime, timezone: str) -> str:
    """Show an instant on a member's wall clock, like "Sat 05 Dec 2026 19:30 CET"."""
    local = at.astimezone(ZoneInfo(timezone))
    return f"{local.strftime(_SHOWN)} {local.tzname()}"
