"""Reading times members type, and series that keep their wall-clock time across DST."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.core.errors import UserFacingError
from domain.events.errors import (
    BadRuleError,
    RuleTooFrequentError,
    UnknownTimezoneError,
    WhenAmbiguousError,
    WhenInPastError,
    WhenUnclearError,
    WhenWithoutTimeError,
)
from domain.events.recurrence import expand, normalise_rule
from domain.events.when import parse_when

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("tomorrow 18:00", "Europe/Berlin", datetime(2026, 11, 17, 17, 0, tzinfo=UTC)),
        ("fri 5pm", "America/New_York", datetime(2026, 11, 20, 22, 0, tzinfo=UTC)),
        ("2026-12-05 19:30", "Europe/Berlin", datetime(2026, 12, 5, 18, 30, tzinfo=UTC)),
        ("in 3 days at noon", "UTC", datetime(2026, 11, 19, 12, 0, tzinfo=UTC)),
        ("13/02/2027 10:00", "UTC", datetime(2027, 2, 13, 10, 0, tzinfo=UTC)),
        ("5pm UTC", "Europe/Berlin", datetime(2026, 11, 16, 17, 0, tzinfo=UTC)),
    ],
)
def test_natural_times_are_read_in_the_members_zone(
    text: str, zone: str, expected: datetime
) -> None:
    assert parse_when(text, NOW, zone) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("tomorrow", WhenWithoutTimeError),
        ("2026-12-05", WhenWithoutTimeError),
        ("01/02/2027 10:00", WhenAmbiguousError),
        ("yesterday 10:00", WhenInPastError),
        ("purple elephants", WhenUnclearError),
        ("", WhenUnclearError),
    ],
)
def test_unclear_or_past_times_are_refused_saying_what_was_understood(
    text: str, error: type[UserFacingError]
) -> None:
    with pytest.raises(error) as caught:
        parse_when(text, NOW, "Europe/Berlin")
    if error is WhenAmbiguousError:
        assert caught.value.params["first"] == "Mon 01 Feb 2027 10:00"
        assert caught.value.params["second"] == "Sat 02 Jan 2027 10:00"
    if error is WhenInPastError:
        assert caught.value.params["shown"] == "Sun 15 Nov 2026 10:00 CET"


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(UnknownTimezoneError):
        parse_when("tomorrow 18:00", NOW, "Mars/Olympus")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_future_time_or_a_friendly_refusal(text: str) -> None:
    try:
        at = parse_when(text, NOW, "Europe/Berlin")
    except UserFacingError:
        return
    assert at.tzinfo is not None and at > NOW


def _local(starts: tuple[datetime, ...], zone: str) -> list[str]:
    return [s.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z") for s in starts]


def test_weekly_at_18_berlin_stays_at_18_across_the_october_and_march_changes() -> None:
    first = datetime(2026, 10, 20, 16, 0, tzinfo=UTC)  # Tue 18:00 CEST
    starts, rule = expand("FREQ=WEEKLY", first, "Europe/Berlin", max_count=30, max_years=2)
    local = _local(starts, "Europe/Berlin")
    assert all(s.endswith("18:00 CEST") or s.endswith("18:00 CET") for s in local)
    assert local[0] == "2026-10-20 18:00 CEST" and local[1] == "2026-10-27 18:00 CET"
    assert "2027-03-23 18:00 CET" in local and "2027-03-30 18:00 CEST" in local
    # The instants move by an hour in UTC, the wall clock does not.
    assert starts[0].hour == 16 and starts[1].hour == 17
    assert rule == "FREQ=WEEKLY;COUNT=30"


def test_new_york_keeps_its_wall_clock_across_its_own_changes() -> None:
    first = datetime(2026, 10, 27, 23, 0, tzinfo=UTC)  # Tue 19:00 EDT
    starts, _ = expand(
        "FREQ=WEEKLY;BYDAY=TU,TH", first, "America/New_York", max_count=50, max_years=2
    )
    local = _local(starts, "America/New_York")
    assert {s[11:] for s in local} == {"19:00 EDT", "19:00 EST"}
    assert "2026-11-03 19:00 EST" in local and "2027-03-16 19:00 EDT" in local


def test_a_0230_start_on_the_spring_forward_day_takes_the_offset_before_the_gap() -> None:
    first = datetime(2027, 3, 21, 1, 30, tzinfo=UTC)  # Sun 02:30 CET, a week before the change
    starts, _ = expand("FREQ=WEEKLY", first, "Europe/Berlin", max_count=3, max_years=2)
    local = _local(starts, "Europe/Berlin")
    # 2027-03-28 02:30 does not exist in Berlin: RFC 5545 reads it with the earlier
    # offset (+01:00), which is 03:30 CEST; the week after is 02:30 again.
    assert local == ["2027-03-21 02:30 CET", "2027-03-28 03:30 CEST", "2027-04-04 02:30 CEST"]


def test_series_stop_at_500_dates_or_two_years() -> None:
    first = datetime(2026, 11, 17, 18, 0, tzinfo=UTC)
    daily, rule = expand("FREQ=DAILY", first, "UTC", max_count=500, max_years=2)
    assert len(daily) == 500 and rule == "FREQ=DAILY;COUNT=500"
    weekly, _ = expand("FREQ=WEEKLY", first, "UTC", max_count=500, max_years=2)
    assert len(weekly) == 105 and weekly[-1] <= first.replace(year=2028)


@pytest.mark.parametrize(
    "word", ["daily", "weekly", "biweekly", "monthly", "FREQ=WEEKLY;BYDAY=TU,TH"]
)
def test_repeat_words_and_rrules_are_understood(word: str) -> None:
    assert normalise_rule(word).startswith("FREQ=")


@pytest.mark.parametrize("rule", ["FREQ=MINUTELY", "FREQ=SECONDLY;INTERVAL=30"])
def test_rules_more_frequent_than_hourly_are_refused(rule: str) -> None:
    with pytest.raises(RuleTooFrequentError):
        normalise_rule(rule)


def test_an_hourly_rule_with_minutes_less_than_an_hour_apart_is_refused() -> None:
    first = datetime(2026, 11, 17, 18, 0, tzinfo=UTC)
    with pytest.raises(RuleTooFrequentError):
        expand("FREQ=HOURLY;BYMINUTE=0,30", first, "UTC", max_count=10, max_years=1)


@pytest.mark.parametrize(
    "rule", ["every full moon", "FREQ=WEEKLY;BYDAY=XX", "BYDAY=MO", "FREQ=WEEKLY;DTSTART=1"]
)
def test_unusable_rules_are_refused(rule: str) -> None:
    with pytest.raises(BadRuleError):
        normalise_rule(rule)
