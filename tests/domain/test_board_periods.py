"""Calendar rules of boards and quests: seasons, windows and rotation picks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.leaderboards import Period, periods
from domain.quests import QuestScheduleError, Repeat, schedule


def test_week_key_follows_the_local_calendar_not_utc() -> None:
    late_sunday_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert periods.key_for(Period.WEEK, late_sunday_utc, "UTC") == "2026-W47"
    assert periods.key_for(Period.WEEK, late_sunday_utc, "Europe/Berlin") == "2026-W48"
    assert periods.key_for(Period.WEEK, late_sunday_utc, "America/New_York") == "2026-W47"
    assert periods.key_for(
        Period.MONTH, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Asia/Tokyo"
    ) == ("2026-12")


def test_week_boundary_on_a_daylight_saving_weekend() -> None:
    # Europe/Berlin leaves summer time on Sunday 2026-10-25 (a 25-hour day).
    before = datetime(2026, 10, 25, 22, 59, tzinfo=UTC)  # Sunday 23:59 CET
    after = datetime(2026, 10, 25, 23, 1, tzinfo=UTC)  # Monday 00:01 CET
    assert periods.key_for(Period.WEEK, before, "Europe/Berlin") == "2026-W43"
    assert periods.key_for(Period.WEEK, after, "Europe/Berlin") == "2026-W44"


@pytest.mark.parametrize(
    ("period", "key", "days"),
    [
        (Period.WEEK, "2026-W46", (date(2026, 11, 9), date(2026, 11, 15))),
        (Period.WEEK, "2026-W53", (date(2026, 12, 28), date(2027, 1, 3))),
        (Period.WEEK, "2025-W53", None),  # 2025 has 52 ISO weeks
        (Period.WEEK, "2026-W00", None),
        (Period.MONTH, "2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
        (Period.MONTH, "2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        (Period.MONTH, "2026-13", None),
        (Period.MONTH, "2026-W46", None),
        (Period.ALL, "all", None),
    ],
)
def test_season_days(period: Period, key: str, days: tuple[date, date] | None) -> None:
    assert periods.season_days(period, key) == days


def test_quest_window_end_date_is_inclusive_in_the_community_zone() -> None:
    now = datetime(2026, 11, 16, 12, tzinfo=UTC)
    starts, ends = schedule.window(now, "Europe/Berlin", date(2026, 11, 18), date(2026, 11, 20))
    assert starts == datetime(2026, 11, 17, 23, tzinfo=UTC)
    assert ends == datetime(2026, 11, 20, 23, tzinfo=UTC)
    assert schedule.window(now, "UTC", None, None) == (now, now + timedelta(days=7))
    with pytest.raises(QuestScheduleError):
        schedule.window(now, "UTC", date(2026, 11, 20), date(2026, 11, 18))


def test_repeat_periods() -> None:
    at = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert schedule.period_of(Repeat.NONE, at, "Europe/Berlin") == "once"
    assert schedule.period_of(Repeat.DAILY, at, "Europe/Berlin") == "2026-11-23"
    assert schedule.period_of(Repeat.WEEKLY, at, "Europe/Berlin") == "2026-W48"


def test_rotation_walks_the_pool_week_by_week() -> None:
    mondays = [date(2026, 11, 16) + timedelta(weeks=w) for w in range(4)]
    picks = [schedule.rotation_picks(m, 5, 2) for m in mondays]
    assert all(len(set(p)) == 2 for p in picks)
    assert picks[0] != picks[1]
    assert schedule.rotation_picks(mondays[0], 5, 2) == picks[0]  # deterministic
    five_weeks = [date(2026, 11, 16) + timedelta(weeks=w) for w in range(5)]
    used = {i for m in five_weeks for i in schedule.rotation_picks(m, 5, 2)}
    assert used == set(range(5))  # every challenge comes round
    assert sorted(schedule.rotation_picks(mondays[0], 3, 10)) == [0, 1, 2]
    assert schedule.rotation_picks(mondays[0], 0, 2) == []
