"""Long AI answers are split to the platform's limit without losing words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogs.mentor_ai.cards import split_answer


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=200, max_value=800))
def test_every_part_fits_and_nothing_is_lost(answer: str, limit: int) -> None:
    parts = split_answer(answer, limit)
    assert parts and all(len(p) <= limit for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(answer.split())


def test_splits_prefer_paragraph_ends() -> None:
    first, second = "a" * 150 + ".", "b" * 150 + "."
    assert split_answer(f"{first}\n\n{second}", 200) == [first, second]
