"""XP rules, the level curve and tier thresholds, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from domain.progress import LevelCurve, ProgressSection, Withheld, XpRule, xp_for_occurrence

NOW = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


def decide(rule: XpRule, *, last: datetime | None = None, awards: int = 0, xp: int = 0) -> object:
    return xp_for_occurrence(rule, now=NOW, last_award_at=last, awards_today=awards, xp_today=xp)


def test_cooldown_withholds_xp_until_it_has_passed() -> None:
    rule = XpRule(amount=5, cooldown_minutes=10)
    assert decide(rule, last=NOW - timedelta(minutes=9)).withheld is Withheld.COOLDOWN
    assert decide(rule, last=NOW - timedelta(minutes=10)).amount == 5


def test_daily_cap_clips_the_last_award_and_then_refuses() -> None:
    rule = XpRule(amount=10, daily_cap=25)
    assert decide(rule, awards=2, xp=20).amount == 5
    assert decide(rule, awards=3, xp=25).withheld is Withheld.DAILY_CAP


def test_diminishing_returns_halve_each_award_after_the_free_ones() -> None:
    rule = XpRule(amount=8, diminish_after=1, diminish_factor=0.5)
    amounts = [decide(rule, awards=n).amount for n in range(5)]
    assert amounts == [8, 4, 2, 1, 0]
    assert decide(rule, awards=4).withheld is Withheld.DIMINISHED


def test_level_curve_thresholds_follow_base_and_exponent() -> None:
    curve = LevelCurve(ProgressSection(level_base=100, level_exponent=1.5))
    assert [curve.xp_for_level(n) for n in (1, 2, 3, 5, 10)] == [0, 100, 283, 800, 2700]
    assert curve.level_for(0) == 1
    assert curve.level_for(99) == 1
    assert curve.level_for(100) == 2
    assert curve.level_for(2699) == 9
    assert curve.level_for(10**12) == 100  # capped at max_level


def test_tiers_change_exactly_at_their_levels() -> None:
    curve = LevelCurve(ProgressSection())
    names = [t.name for t in curve.tiers]
    assert names == ["Seedling", "Sprout", "Blossom", "Bloom", "Evergreen"]
    assert [curve.tier_index_for(level) for level in (1, 4, 5, 9, 10, 19, 20, 34, 35, 99)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_tuning_one_xp_key_keeps_the_other_rules() -> None:
    config = ProgressSection.model_validate({"xp": {"checked_in": {"amount": 7}}})
    assert config.xp["checked_in"].amount == 7
    assert config.xp["vote_cast"].amount == 5


@pytest.mark.parametrize(
    "tiers",
    [
        [{"name": "A", "level": 2}],
        [{"name": "A", "level": 1}, {"name": "B", "level": 1}],
        [{"name": "A", "level": 1}, {"name": "a", "level": 3}],
    ],
)
def test_bad_tier_lists_are_refused_at_start(tiers: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        ProgressSection.model_validate({"tiers": tiers})
