"""Governance rules without a database: quorum, thresholds, weights, throttling, titles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from domain.proposals import Approval, Outcome, Tally, TypeRules
from domain.proposals.rules import (
    approval_reached,
    decide,
    edit_bucket,
    quorum_needed,
    title_key,
    vote_weight,
)


def test_quorum_is_the_larger_of_the_minimum_and_the_share_of_active_members() -> None:
    rules = TypeRules(quorum_votes=3, quorum_share=0.25)
    assert quorum_needed(rules, 4) == 3
    assert quorum_needed(rules, 40) == 10
    assert quorum_needed(rules, 41) == 11  # a share rounds up: 10.25 voters is 11
    assert quorum_needed(TypeRules(quorum_votes=0), 100) == 0


@pytest.mark.parametrize(
    ("approval", "for_", "against", "passes"),
    [
        (Approval.MAJORITY, 3, 2, True),
        (Approval.MAJORITY, 2, 2, False),  # a tie is not a majority
        (Approval.TWO_THIRDS, 2, 1, True),  # exactly two thirds
        (Approval.TWO_THIRDS, 5, 3, False),
        (Approval.THREE_QUARTERS, 3, 1, True),
        (Approval.THREE_QUARTERS, 5, 2, False),
        (Approval.UNANIMOUS, 9, 0, True),
        (Approval.UNANIMOUS, 9, 1, False),
        (Approval.MAJORITY, 0, 0, False),  # nobody for: nothing passes
    ],
)
def test_approval_thresholds_use_exact_fractions(
    approval: Approval, for_: int, against: int, passes: bool
) -> None:
    assert approval_reached(approval, Tally(for_, against, 0, for_ + against)) is passes


def test_abstentions_count_for_quorum_but_not_for_approval() -> None:
    rules = TypeRules(quorum_votes=4)
    assert decide(rules, Tally(2, 1, 1, 4), 0).outcome is Outcome.PASSED
    assert decide(rules, Tally(2, 1, 0, 3), 0).outcome is Outcome.QUORUM_NOT_MET
    assert decide(rules, Tally(0, 0, 5, 5), 0).outcome is Outcome.THRESHOLD_NOT_MET


def test_vote_weight_takes_the_heaviest_of_tier_and_roles() -> None:
    rules = TypeRules(tier_weights=[1, 1, 2, 3], role_weights={"Core": 5, "Mentor": 2})
    assert vote_weight(rules, None, ()) == 1
    assert vote_weight(rules, 2, ()) == 2
    assert vote_weight(rules, 9, ()) == 3  # above the list: its last weight
    assert vote_weight(rules, 0, ("Mentor",)) == 2
    assert vote_weight(rules, 3, ("Core", "Mentor")) == 5
    assert vote_weight(TypeRules(), 4, ("Core",)) == 1


def test_weights_below_one_are_refused_by_the_config() -> None:
    with pytest.raises(ValidationError):
        TypeRules(tier_weights=[1, 0])
    with pytest.raises(ValidationError):
        TypeRules(role_weights={"Guest": -1})


def test_edit_buckets_group_instants_and_end_on_the_period() -> None:
    at = datetime(2026, 11, 16, 12, 0, 3, tzinfo=UTC)
    bucket, ends = edit_bucket(at, 10)
    assert ends == datetime(2026, 11, 16, 12, 0, 10, tzinfo=UTC)
    assert edit_bucket(at.replace(second=9), 10)[0] == bucket
    assert edit_bucket(at.replace(second=10), 10)[0] == bucket + 1


def test_title_keys_ignore_case_accents_punctuation_and_spacing() -> None:
    assert title_key("Dark  MODE!") == title_key("dark mode") == "dark mode"
    assert title_key("Café — ouvert") == title_key("cafe ouvert")
    assert title_key("Dark mode v2") != title_key("Dark mode")
