"""Matching rules: topic words, availability windows, the Bayesian rating, the ranking.

All pure functions, so the ranking the README describes is tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.core.ids import MemberId
from domain.mentoring.config import MentoringSection
from domain.mentoring.errors import BadAvailabilityError
from domain.mentoring.model import Match, MentorProfile

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(
    r"^(?P<d1>[a-z]{3})[a-z]*(?:\s*-\s*(?P<d2>[a-z]{3})[a-z]*)?\s+"
    r"(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})$"
)
# A fixed winter reference week (Mon 2026-01-05): availability is compared as hours of
# that week in UTC, so no test or rule depends on today's date. Summer-time shifts of
# an hour are ignored on purpose: matching is a suggestion, not a booking.
_REFERENCE_MONDAY = date(2026, 1, 5)
WAKING = (time(8), time(22))
EVENING = (time(17), time(22))


def singular(word: str) -> str:
    """A crude singular: "interviews" -> "interview", "stories" -> "story"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def topic_key(word: str, synonyms: Mapping[str, Sequence[str]]) -> str:
    """The canonical form of a topic: lower case, singular, synonyms folded to their topic."""
    key = singular(" ".join(word.lower().split()))
    for topic, words in synonyms.items():
        canonical = singular(topic.lower())
        if key == canonical or key in {singular(w.lower()) for w in words}:
            return canonical
    return key


def parse_topics(text: str, limit: int = 10) -> tuple[str, ...]:
    """Split "python, Interviews" into ("python", "interviews"), without duplicates."""
    seen: dict[str, str] = {}
    for part in re.split(r"[,;/]", text):
        word = " ".join(part.split())[:40]
        if word and word.lower() not in seen:
            seen[word.lower()] = word.lower()
    return tuple(seen.values())[:limit]


def parse_availability(text: str) -> list[tuple[int, time, time]]:
    """Read "Mon-Fri 18:00-20:00, Sat 10:00-12:00" as [(weekday, start, end), …].

    Raises:
        BadAvailabilityError: a part is not "Day[-Day] HH:MM-HH:MM".
    """
    windows: list[tuple[int, time, time]] = []
    for part in re.split(r"[,;]", text.lower()):
        part = part.strip()
        if not part:
            continue
        m = _WINDOW.match(part)
        if m is None or m["d1"] not in _DAYS or (m["d2"] and m["d2"] not in _DAYS):
            raise BadAvailabilityError(text=part)
        try:
            start = time(int(m["h1"]), int(m["m1"]))
            end = time(int(m["h2"]), int(m["m2"])) if m["h2"] != "24" else time(23, 59)
        except ValueError:
            raise BadAvailabilityError(text=part) from None
        if end <= start:
            raise BadAvailabilityError(text=part)
        first = _DAYS.index(m["d1"])
        last = _DAYS.index(m["d2"]) if m["d2"] else first
        day = first
        while True:
            windows.append((day, start, end))
            if day == last:
                break
            day = (day + 1) % 7
    return windows


def _hours(windows: Iterable[tuple[int, time, time]], tz: ZoneInfo) -> set[int]:
    """Hours of the reference week (UTC, 0..167) that the windows touch."""
    hours: set[int] = set()
    origin = datetime.combine(_REFERENCE_MONDAY, time(), tzinfo=ZoneInfo("UTC"))
    for day, start, end in windows:
        local_day = _REFERENCE_MONDAY + timedelta(days=day)
        begin = datetime.combine(local_day, start, tzinfo=tz)
        finish = datetime.combine(local_day, end, tzinfo=tz)
        t = begin
        while t < finish:
            hours.add(int((t - origin).total_seconds() // 3600) % 168)
            t += timedelta(hours=1)
    return hours


def daily(span: tuple[time, time]) -> list[tuple[int, time, time]]:
    """The same window on every day of the week."""
    return [(d, span[0], span[1]) for d in range(7)]


def availability_overlap(
    availability: str, mentor_tz: str, mentee_tz: str
) -> tuple[float, str | None]:
    """How much of the mentor's time falls in the mentee's waking hours, and a reason.

    Unparseable or empty availability counts as neutral (0.5, no reason).
    """
    try:
        windows = parse_availability(availability)
    except BadAvailabilityError:
        windows = []
    if not windows:
        return 0.5, None
    mentor = _hours(windows, ZoneInfo(mentor_tz))
    waking = _hours(daily(WAKING), ZoneInfo(mentee_tz))
    evening = _hours(daily(EVENING), ZoneInfo(mentee_tz))
    share = len(mentor & waking) / len(mentor)
    if mentor & evening and len(mentor & evening) * 2 >= len(mentor):
        return share, "overlaps your evenings"
    if share > 0:
        return share, "overlaps your daytime"
    return 0.0, None


def bayesian_rating(rating_sum: int, count: int, prior_mean: float, prior_weight: int) -> float:
    """The average pulled towards `prior_mean` as if `prior_weight` such ratings existed.

    One 5★ (≈4.17 with the defaults) does not beat forty 4.8★ (≈4.71).
    """
    return (
        (prior_mean * prior_weight + rating_sum) / (prior_weight + count)
        if (prior_weight + count)
        else prior_mean
    )


def rank_mentors(
    profiles: Sequence[MentorProfile],
    topic: str,
    *,
    seeker: MemberId,
    seeker_tz: str,
    session_type: str | None,
    recent_requests: Mapping[MemberId, int],
    section: MentoringSection,
) -> list[Match]:
    """Mentors for `topic`, best first, each with the reasons a member reads.

    Never the seeker themself, a paused or unapproved mentor, or one at capacity.
    """
    want = topic_key(topic, section.synonyms) if topic.strip() else ""
    busiest = max(recent_requests.values(), default=0)
    w = section.weights
    matches: list[Match] = []
    for p in profiles:
        if p.member_id == seeker or p.paused or not p.approved or p.free_slots == 0:
            continue
        if session_type and session_type not in p.session_types:
            continue
        keys = {topic_key(t, section.synonyms): t for t in p.topics}
        if want and want not in keys:
            continue
        rating = bayesian_rating(
            p.rating_sum, p.rating_count, section.rating_prior_mean, section.rating_prior_weight
        )
        overlap, overlap_reason = availability_overlap(p.availability, p.timezone, seeker_tz)
        recent = recent_requests.get(p.member_id, 0)
        fairness = 1.0 - (recent / (busiest + 1)) if busiest else 1.0
        score = (
            w.rating * (rating / 5)
            + w.capacity * (p.free_slots / p.capacity)
            + w.availability * overlap
            + w.fairness * fairness
        )
        reasons = []
        if want:
            reasons.append(f"topic match: {keys[want]}")
        reasons.append(f"{p.free_slots} of {p.capacity} slots free")
        if p.rating_count:
            reasons.append(f"{p.rating_sum / p.rating_count:.1f}★ from {p.rating_count}")
        else:
            reasons.append("no ratings yet")
        if overlap_reason:
            reasons.append(overlap_reason)
        matches.append(Match(p, round(score, 4), tuple(reasons)))
    matches.sort(key=lambda m: (-m.score, int(m.profile.member_id)))
    return matches
