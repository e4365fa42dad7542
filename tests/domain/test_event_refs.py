"""Event references typed by members ("3", "#3", "3.2") go through the shared id parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.core.errors import UserFacingError
from domain.core.ids import MAX_ID
from domain.events import BadEventIdError, EventNotFoundError, parse_ref
from domain.hackathons import parse_hackathon_id
from domain.hackathons.errors import HackathonNotFoundError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", (3, None)),
        (" #3 ", (3, None)),
        ("003", (3, None)),
        ("3.2", (3, 2)),
        ("#12.10", (12, 10)),
    ],
)
def test_event_refs_are_read_like_every_other_id(
    text: str, expected: tuple[int, int | None]
) -> None:
    assert parse_ref(text) == expected


@pytest.mark.parametrize("text", ["x", "3.", ".2", "3.2.1", "-3", "٣", "3,2", ""])
def test_what_is_not_an_event_number_is_refused_as_such(text: str) -> None:
    with pytest.raises(BadEventIdError):
        parse_ref(text)


@pytest.mark.parametrize("text", ["0", str(MAX_ID + 1), "3.0", "999999999999"])
def test_numbers_no_event_can_have_are_not_found(text: str) -> None:
    with pytest.raises(EventNotFoundError):
        parse_ref(text)


@given(st.text(max_size=30))
def test_any_text_is_an_event_ref_or_a_friendly_refusal(text: str) -> None:
    try:
        event_id, number = parse_ref(text)
    except UserFacingError:
        return
    assert 0 < event_id <= MAX_ID and (number is None or 0 < number <= MAX_ID)


@given(st.text(max_size=30))
def test_any_text_is_a_hackathon_id_or_not_found(text: str) -> None:
    try:
        found = parse_hackathon_id(text)
    except HackathonNotFoundError:
        return
    assert 0 < found <= MAX_ID
