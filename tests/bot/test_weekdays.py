"""Whatever the weekday and the machine's zone, the demo is alive and this week's challenges open.

The date-sensitive behaviour runs here with the clock on each day of one week,
in the community's zone and across it (a Monday just after local midnight, a
Sunday just before the next), never on the wall clock.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import demo
from bot.app import App, build_app
from bot.console import ConsoleAdapter
from bot.scheduler import JobScheduler
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.quests.schedule import week_window
from tests.conftest import invoke
from tests.support.console import run_console

MONDAY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
WEEK = [MONDAY + timedelta(days=d) for d in range(7)]
EDGES = [
    MONDAY.replace(hour=0, minute=0, second=30),  # Monday, 30 s into the week
    MONDAY + timedelta(days=6, hours=11, minutes=59),  # Sunday 23:59, the week's last minute
]


async def _fresh_app(sqlite_template: Path, tmp_path: Path, at: datetime, zone: str) -> App:
    path = tmp_path / f"{at:%a%H%M}.db"
    shutil.copy(sqlite_template, path)
    config = CommunityConfig.model_validate({"community": {"timezone": zone}})
    return await build_app(f"sqlite+aiosqlite:///{path}", config, clock=FixedClock(at))


async def _demo_lines(app: App, *lines: str) -> list[str]:
    await demo.seed(app)
    console = ConsoleAdapter(app.runner, community_name=app.config.community.name)
    return [await console.handle_line(line) or "" for line in lines]


@pytest.mark.parametrize("at", WEEK + EDGES, ids=lambda d: d.strftime("%a-%H%M"))
async def test_demo_board_and_challenges_are_alive_on_every_weekday(
    sqlite_template: Path, tmp_path: Path, at: datetime
) -> None:
    app = await _fresh_app(sqlite_template, tmp_path, at, "UTC")
    try:
        board, quests, checkin = await _demo_lines(app, "/leaderboard", "/quests", "/checkin")
    finally:
        await app.close()
    assert "Nobody is on this board yet" not in board and "@bob" in board, board
    assert "Daily devotion" in quests or "Have your say" in quests, quests
    assert "checked in" in checkin and "already" not in checkin, checkin


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/Adak"])
async def test_demo_week_follows_the_community_zone_not_utc(
    sqlite_template: Path, tmp_path: Path, zone: str
) -> None:
    # 10:30 UTC on Monday is still Sunday in Adak (UTC-10) and already Monday night at +14.
    at = MONDAY.replace(hour=10, minute=30)
    app = await _fresh_app(sqlite_template, tmp_path, at, zone)
    try:
        board, quests = await _demo_lines(app, "/leaderboard", "/quests")
    finally:
        await app.close()
    assert "Nobody is on this board yet" not in board, board
    assert "Daily devotion" in quests or "Have your say" in quests, quests


@pytest.mark.parametrize("at", WEEK + EDGES, ids=lambda d: d.strftime("%a-%H%M"))
async def test_fresh_database_opens_this_weeks_challenges_on_first_start(
    app: App, clock: FixedClock, at: datetime
) -> None:
    clock.set(at - timedelta(days=1))
    await invoke(app, "alice", "checkin")  # the community exists; the scheduler never ran
    clock.set(at)
    scheduler = JobScheduler(app.uow, app.registry.jobs, clock, timezone="UTC", holder="fresh")
    assert await scheduler.heartbeat()  # takes the lease and catches up
    quests = await invoke(app, "alice", "quests")
    week_ends = week_window(at, "UTC")[2]
    opens = at >= week_window(at, "UTC")[1] + timedelta(hours=app.config.quests.rotation_hour)
    assert (quests.text.count("easy") > 0) is opens, (at, quests.text)
    if opens:
        assert "ends in" in quests.text and week_ends > at
    # A second start opens nothing twice.
    again = JobScheduler(app.uow, app.registry.jobs, clock, timezone="UTC", holder="again")
    await scheduler.resign()
    assert await again.heartbeat()
    assert (await invoke(app, "alice", "quests")).text == quests.text


@pytest.mark.parametrize(
    ("clock_at", "tz"),
    [
        ("2026-11-30T00:00:30+00:00", "Pacific/Kiritimati"),
        ("2026-12-06T23:59:00+00:00", "Etc/GMT+12"),
    ],
    ids=["monday-start", "sunday-end"],
)
def test_demo_process_on_monday_and_sunday_in_any_machine_zone(
    tmp_path: Path, clock_at: str, tz: str
) -> None:
    result = run_console(
        tmp_path, "/leaderboard\n/quests\n", env={"GUILDHALL_CLOCK": clock_at, "TZ": tz}
    )
    assert result.returncode == 0, result.stderr
    assert "Nobody is on this board yet" not in result.stdout, result.stdout
    assert "Daily devotion" in result.stdout or "Have your say" in result.stdout, result.stdout
