"""Matching rules: topics, availability, the Bayesian rating and the ranking."""

from __future__ import annotations

import contextlib
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.core.ids import CommunityId, MemberId
from domain.mentoring import MentoringSection, MentorProfile
from domain.mentoring.errors import BadAvailabilityError
from domain.mentoring.rules import (
    availability_overlap,
    bayesian_rating,
    parse_availability,
    rank_mentors,
    topic_key,
)

SECTION = MentoringSection()


def mentor(n: int, **kw: object) -> MentorProfile:
    values: dict[str, object] = {
        "community_id": CommunityId(1),
        "member_id": MemberId(n),
        "display_name": f"m{n}",
        "topics": ("python",),
        "bio": "",
        "capacity": 3,
        "active": 0,
        "availability": "",
        "timezone": "UTC",
        "session_types": SECTION.session_types,
        "paused": False,
        "approved": True,
        "rating_sum": 0,
        "rating_count": 0,
        "completed": 0,
    }
    values.update(kw)
    return MentorProfile(**values)  # type: ignore[arg-type]


def rank(profiles: list[MentorProfile], topic: str = "python", **kw: object) -> list[int]:
    found = rank_mentors(
        profiles,
        topic,
        seeker=MemberId(kw.get("seeker", 99)),  # type: ignore[arg-type]
        seeker_tz=str(kw.get("tz", "UTC")),
        session_type=None,
        recent_requests=kw.get("recent", {}),  # type: ignore[arg-type]
        section=SECTION,
    )
    return [int(m.profile.member_id) for m in found]


def test_topics_fold_case_plurals_and_synonyms() -> None:
    syn = SECTION.synonyms
    assert topic_key("Interviews", syn) == topic_key("interviewing", syn) == "interview"
    assert topic_key("PY", syn) == "python"
    assert topic_key("Stories", syn) == "story"
    assert topic_key("CV", syn) == "resume"


def test_one_five_star_does_not_beat_forty_at_four_point_eight() -> None:
    one = bayesian_rating(5, 1, 4.0, 5)
    forty = bayesian_rating(int(4.8 * 40), 40, 4.0, 5)
    assert forty > one
    assert rank(
        [mentor(1, rating_sum=5, rating_count=1), mentor(2, rating_sum=192, rating_count=40)]
    ) == [2, 1]


def test_never_yourself_paused_unapproved_or_full() -> None:
    profiles = [
        mentor(1),
        mentor(2, paused=True),
        mentor(3, approved=False),
        mentor(4, active=3),
        mentor(5, topics=("rust",)),
    ]
    assert rank(profiles, seeker=1) == []
    assert rank(profiles, seeker=9) == [1]


def test_fairness_spreads_requests_away_from_the_busiest_mentor() -> None:
    profiles = [mentor(1), mentor(2)]
    assert rank(profiles) == [1, 2]
    assert rank(profiles, recent={MemberId(1): 10}) == [2, 1]


def test_free_capacity_counts() -> None:
    assert rank([mentor(1, active=2), mentor(2, active=0)]) == [2, 1]


def test_availability_overlap_uses_the_mentees_time_zone() -> None:
    share, reason = availability_overlap("Mon-Fri 18:00-20:00", "Europe/Berlin", "Europe/Berlin")
    assert share == 1.0 and reason == "overlaps your evenings"
    share, reason = availability_overlap("Mon-Fri 18:00-20:00", "Europe/Berlin", "Asia/Tokyo")
    assert share == 0.0 and reason is None  # 02:00-04:00 in Tokyo
    assert availability_overlap("", "UTC", "UTC") == (0.5, None)


def test_availability_parses_ranges_and_lists() -> None:
    windows = parse_availability("Mon-Wed 18:00-20:00, sat 10:00-12:30")
    assert windows == [
        (0, time(18), time(20)),
        (1, time(18), time(20)),
        (2, time(18), time(20)),
        (5, time(10), time(12, 30)),
    ]
    with pytest.raises(BadAvailabilityError):
        parse_availability("Mon 20:00-18:00")


@given(st.text(max_size=60))
def test_availability_parser_never_crashes_on_member_text(text: str) -> None:
    with contextlib.suppress(BadAvailabilityError):
        parse_availability(text)
