"""The scale-out bench: two worker processes on one PostgreSQL database lose and double nothing.

Sizes are tiny and nothing is timed: what is asserted is what the run must
prove whatever the machine's load — both processes did work, and afterwards
the log is applied, each check-in was awarded once, each vote (double clicks
dealt to different processes included) counted once, and `guildhall db check`
is clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import report, scaleout, suite
from benchmarks.cli import PROJECTOR_PROCESS
from bot.cli import main
from domain.core.config import CommunityConfig
from tests.conftest import PG_URL, _prepare_pg

WRITES = ("checkin", "points give", "vote")


@pytest.mark.skipif(
    PG_URL is None, reason="TEST_DATABASE_URL is not set: the scale-out run needs PostgreSQL"
)
async def test_two_processes_on_one_postgresql_database_lose_and_double_nothing(
    tmp_path: Path,
) -> None:
    assert PG_URL is not None
    await _prepare_pg(PG_URL)  # creates this xdist worker's database when it is missing
    options = suite.Options(
        members=200,
        repeats=1,
        concurrency=8,
        database_url=PG_URL,
        only=(*WRITES, "leaderboard"),
        pool_size=4,
        max_ops=40,
    )
    lines: list[str] = []
    result = await scaleout.run(options, 2, CommunityConfig(), lines.append)

    failed = {name: c["detail"] for name, c in result["checks"].items() if not c["ok"]}
    assert failed == {}
    assert result["correct"]
    assert set(result["checks"]) == {
        "activity log applied",
        "check-in awarded once",
        "each vote counted once",
        "guildhall db check",
        "no errors in any worker",
    }
    assert [w["exit_code"] for w in result["workers"]] == [0, 0]
    for name in (*WRITES, "leaderboard"):
        entry = result["operations"][name]
        assert entry["status"] == "measured", entry
        shares = [share["ops"] for share in entry["repeats"][0]["per_process"]]
        assert shares[0] == shares[1] > 0  # both processes did work, dealt round robin
        assert sum(shares) == entry["median"]["ops"]
        assert entry["median"]["errors"] == 0
    for name in WRITES:
        assert result["operations"][name]["floor"]["ops"] > 0  # a same-run ratio exists
    assert result["operations"]["checkin"]["median"]["ok"] == 40  # 40 members, once each
    # Both projectors applied activities: each claims batches of the one log.
    assert all(w["projector"]["activities"] > 0 for w in result["workers"])

    printed = report.table(result) + "\n" + report.scaleout(result)
    assert "per process/s" in printed and "FAIL" not in printed
    saved = json.loads(report.save(result, tmp_path).read_text())
    assert saved["processes"] == 2 and saved["checks"]["each vote counted once"]["ok"]


def test_processes_on_sqlite_are_refused_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}")
    code = main(["bench", "--quick", "--processes", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "guildhall bench: --processes needs PostgreSQL (--database-url postgresql+asyncpg://…):"
        " SQLite has one writer process by design"
    ]
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path / 'other.db'}"
    assert main(["bench", "--processes", "2", "--database-url", sqlite_url]) == 2
    assert "SQLite has one writer process" in capsys.readouterr().err
    assert not (tmp_path / "bench.db").exists()  # refused before anything was created


@pytest.mark.skipif(
    PG_URL is None, reason="TEST_DATABASE_URL is not set: a projector process needs PostgreSQL"
)
async def test_the_bench_with_a_projector_process_loses_and_doubles_nothing() -> None:
    """`--projector-process`: `guildhall project` applies the log; the bench hears each batch."""
    assert PG_URL is not None
    await _prepare_pg(PG_URL)
    options = suite.Options(
        members=200,
        repeats=1,
        concurrency=8,
        database_url=PG_URL,
        only=WRITES,
        pool_size=4,
        max_ops=40,
        projector_process=True,
    )
    result = await suite.run(options, CommunityConfig(), [].append)
    assert result["projections"] == "projector process"
    assert result["ledger_check"] == "ok" and result["unhandled_errors"] == 0
    assert result["projector"]["activities"] == 0  # this process applied nothing itself
    for name in WRITES:
        median = result["operations"][name]["median"]
        assert median["errors"] == 0 and median["ok"] > 0
        assert median["lag_p99_ms"] is not None  # heard from the other process, per commit
        assert median["cpu_ms_per_op"] > 0
    assert result["operations"]["vote"]["exactly_once"]


def test_a_projector_process_on_sqlite_is_refused_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}"
    assert main(["bench", "--projector-process", "--database-url", sqlite_url]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [PROJECTOR_PROCESS]
    assert not (tmp_path / "bench.db").exists()
