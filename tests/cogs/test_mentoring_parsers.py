"""The parsers of what members type into mentoring commands: session numbers and times."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.mentoring.sessions import BadWhenError, read_when, session_id
from domain.core.ids import MAX_ID
from domain.mentoring.errors import SessionNotFoundError

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


def test_session_numbers_with_or_without_a_hash() -> None:
    assert session_id("12") == session_id("#12") == session_id(" 012 ") == 12
    for bad in ("0", "-3", "1.5", "٣", str(MAX_ID + 1), "", "#"):
        with pytest.raises(SessionNotFoundError):
            session_id(bad)


@given(st.text(max_size=30))
def test_any_text_is_a_session_number_or_a_friendly_not_found(raw: str) -> None:
    with contextlib.suppress(SessionNotFoundError):
        assert 1 <= session_id(raw) <= MAX_ID


def test_times_are_read_in_the_members_zone_and_must_be_in_the_future() -> None:
    at = read_when("2026-12-01 18:00", "Europe/Berlin", NOW)
    assert at is not None and at.astimezone(UTC).hour == 17
    assert read_when(None, "UTC", NOW) is None
    bad_times = ("2026-02-30 10:00", "2026-11-16 11:59", "tomorrow", "2026-12-01 25:00")
    for bad in (*bad_times, "2028-01-01 10:00", "9999-12-31 23:59"):
        with pytest.raises(BadWhenError):
            read_when(bad, "UTC", NOW)


@given(
    st.text(max_size=40)
    | st.from_regex(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", fullmatch=True)
    | st.just("9999-12-31 23:59")
)
def test_any_text_is_a_future_time_or_a_friendly_refusal(raw: str) -> None:
    try:
        at = read_when(raw, "America/New_York", NOW)
    except BadWhenError:
        return
    assert at is None or NOW < at <= NOW + timedelta(days=366)
