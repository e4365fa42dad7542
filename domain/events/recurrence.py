"""Recurrence: `--repeat weekly` or an RRULE, expanded in the event's own wall clock.

Occurrences are computed as local wall-clock times (dateutil's rrule over a
naive start) and only then given the event's zone, so 18:00 Europe/Berlin
stays 18:00 across the October and March changes. A start that falls in a
spring-forward gap (02:30 on the last Sunday of March) takes the offset
before the gap, as RFC 5545 prescribes: it happens at 03:30 local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from domain.events.errors import BadRuleError, RuleTooFrequentError

REPEATS: dict[str, str] = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
}
_TOO_FREQUENT = {"SECONDLY", "MINUTELY"}
_NOT_ALLOWED = {"DTSTART", "TZID"}
MIN_GAP = timedelta(hours=1)


def normalise_rule(text: str) -> str:
    """Turn a preset such as "weekly" into its RRULE ("FREQ=WEEKLY"); check and upper-case an RRULE.

    Raises:
        RuleTooFrequentError: the rule repeats more often than hourly.
        BadRuleError: not a word we know nor an RRULE dateutil understands.
    """
    word = text.strip().lower()
    if word in REPEATS:
        return REPEATS[word]
    raw = text.strip().upper().removeprefix("RRULE:").strip().rstrip(";")
    parts = _parts(raw, text)
    if parts.get("FREQ") in _TOO_FREQUENT:
        raise RuleTooFrequentError(rule=text.strip()[:80])
    if "FREQ" not in parts or _NOT_ALLOWED & parts.keys():
        raise BadRuleError(rule=text.strip()[:80])
    try:
        rrulestr(raw, dtstart=datetime(2026, 1, 1, 12, 0))
    except (ValueError, TypeError):
        raise BadRuleError(rule=text.strip()[:80]) from None
    return raw


def _parts(raw: str, shown: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in raw.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise BadRuleError(rule=shown.strip()[:80])
        parts[name.strip()] = value.strip()
    return parts


def expand(
    rule: str | None,
    first: datetime,
    timezone: str,
    *,
    max_count: int,
    max_years: int,
) -> tuple[tuple[datetime, ...], str | None]:
    """Every start (aware UTC) of the series from local `first`, and the rule for iCal.

    The series stops after `max_count` occurrences or `max_years` after the
    first, whichever comes first. The returned rule drops COUNT/UNTIL and
    states the COUNT actually kept, so a calendar expands exactly the stored
    occurrences.

    Raises:
        BadRuleError: the rule yields no date at all.
        RuleTooFrequentError: two occurrences less than an hour apart.
    """
    zone = ZoneInfo(timezone)
    local = first.astimezone(zone).replace(tzinfo=None)
    if rule is None:
        return (_utc(local, zone),), None
    limit = local + relativedelta(years=max_years)
    starts: list[datetime] = []
    for at in rrulestr(rule, dtstart=local):
        assert isinstance(at, datetime)
        if at > limit or len(starts) >= max_count:
            break
        if starts and at - starts[-1] < MIN_GAP:
            raise RuleTooFrequentError(rule=rule[:80])
        starts.append(at)
    if not starts:
        raise BadRuleError(rule=rule[:80])
    kept = [p for p in rule.split(";") if p.partition("=")[0] not in ("COUNT", "UNTIL")]
    kept.append(f"COUNT={len(starts)}")
    return tuple(_utc(s, zone) for s in starts), ";".join(kept)


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in `zone` as aware UTC (fold=0: gaps take the earlier offset)."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def describe(rule: str | None) -> str | None:
    """A few words for cards: "every week", "every 2 weeks on TU, TH" (None: one-off)."""
    if rule is None:
        return None
    parts = dict(p.partition("=")[::2] for p in rule.split(";"))
    unit = {
        "HOURLY": "hour",
        "DAILY": "day",
        "WEEKLY": "week",
        "MONTHLY": "month",
        "YEARLY": "year",
    }.get(parts.get("FREQ", ""), "time")
    n = int(parts.get("INTERVAL", "1") or 1)
    words = f"every {unit}" if n == 1 else f"every {n} {unit}s"
    if parts.get("BYDAY"):
        words += " on " + parts["BYDAY"].replace(",", ", ")
    return words
