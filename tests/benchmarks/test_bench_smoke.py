"""The benchmark harness still runs end to end (sizes tiny, nothing timed)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import report, suite
from domain.core.config import CommunityConfig


async def test_bench_runs_a_small_day_on_sqlite_and_keeps_the_ledger_consistent(
    tmp_path: Path,
) -> None:
    options = suite.Options(members=40, repeats=1, concurrency=4, database_url=None)
    lines: list[str] = []
    result = await suite.run(options, CommunityConfig(), lines.append)
    result["machine"] = report.machine()

    checkin = result["operations"]["checkin"]
    assert checkin["status"] == "measured"
    assert checkin["median"]["ok"] == 40  # every member checked in once
    assert checkin["median"]["errors"] == 0
    assert checkin["floor"]["ok"] == 40
    assert checkin["median"]["cpu_ms_per_op"] > 0  # this process's CPU, catch-up included
    gifts = result["operations"]["points give"]
    assert gifts["median"]["errors"] == 0
    assert gifts["median"]["ok"] + gifts["median"]["refused"] == 8
    assert result["ledger_check"] == "ok"
    assert result["unhandled_errors"] == 0
    assert result["leaderboard_design"]["indexed totals"]["samples"] > 0

    table = report.table(result)
    assert "checkin" in table and "ratio" in table and "cpu ms/op" in table
    saved = json.loads(report.save(result, tmp_path).read_text())
    assert saved["machine"]["cpu_count"] >= 1


async def test_bench_names_why_it_skips_an_operation() -> None:
    options = suite.Options(
        members=10, repeats=1, concurrency=2, database_url=None, only=("vote", "profile")
    )
    result = await suite.run(options, CommunityConfig(), lambda _line: None)
    for name in ("vote", "profile"):
        entry = result["operations"][name]
        if entry["status"] == "skipped":
            assert entry["reason"]
