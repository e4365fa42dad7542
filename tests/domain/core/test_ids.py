"""Row numbers typed by members or carried by buttons: one parser for every feature."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.core.ids import MAX_ID, parse_id, parse_ids, parse_ref


@pytest.mark.parametrize(
    ("word", "expected"), [("3", 3), (" 3 ", 3), ("003", 3), (str(MAX_ID), MAX_ID)]
)
def test_a_plain_number_names_a_row(word: str, expected: int) -> None:
    assert parse_id(word) == expected


@pytest.mark.parametrize(
    "word",
    [None, "", " ", "0", "-3", "+3", "3.0", "3a", "٣", "²", "1e3", str(MAX_ID + 1), "9" * 400],
)
def test_anything_else_names_nothing(word: str | None) -> None:
    assert parse_id(word) is None


@given(st.text(max_size=30))
def test_any_text_is_either_a_row_number_or_nothing(word: str) -> None:
    value = parse_id(word)
    assert value is None or (0 < value <= MAX_ID and str(value) == word.strip().lstrip("0"))


def test_a_button_carries_exactly_its_count_of_numbers() -> None:
    assert parse_ids(["4", "12"], 2) == (4, 12)
    assert parse_ids(["4"], 2) is None
    assert parse_ids(["4", "x"], 2) is None
    assert parse_ids(["4", "12", "5"], 2) is None


@pytest.mark.parametrize(("word", "expected"), [("#12", 12), (" #12 ", 12), ("12", 12)])
def test_a_number_as_cards_show_it_names_a_row(word: str, expected: int) -> None:
    assert parse_ref(word) == expected


@pytest.mark.parametrize("word", [None, "#", "##12", "#0", "#-1", "12#"])
def test_a_reference_is_one_hash_and_a_row_number(word: str | None) -> None:
    assert parse_ref(word) is None
