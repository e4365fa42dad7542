"""Battle numbers a member types: the shared row parser, plus "#12" as the cards show it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogs.battles.commands import battle_id
from domain.battles.errors import BadBattleNumberError
from domain.core.ids import MAX_ID


@given(st.integers(min_value=1, max_value=MAX_ID))
def test_a_number_names_the_same_battle_with_or_without_its_hash(n: int) -> None:
    assert battle_id(str(n)) == battle_id(f"#{n}") == battle_id(f" {n} ") == n


@given(st.text(max_size=20))
def test_any_text_is_a_battle_number_or_a_kind_refusal(word: str) -> None:
    try:
        value = battle_id(word)
    except BadBattleNumberError as err:
        assert err.params["word"] == word.strip()[:20]
    else:
        assert 0 < value <= MAX_ID


@pytest.mark.parametrize("word", ["", "#", "##3", "0", "-3", "3.0", "٣", str(MAX_ID + 1)])
def test_these_are_not_battle_numbers(word: str) -> None:
    with pytest.raises(BadBattleNumberError):
        battle_id(word)
