"""The console adapter, in process and as the `guildhall console` program."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.app import App
from bot.console import ConsoleAdapter
from tests.support.console import run_console

ROOT = Path(__file__).resolve().parents[3]


async def test_console_lines_switch_members_and_show_balances(app: App) -> None:
    out: list[str] = []
    console = ConsoleAdapter(app.runner, write=out.append)
    assert "day **1**" not in (await console.handle_line("/checkin") or "")
    assert await console.handle_line("/as bob") == "Now acting as bob."
    await console.handle_line("/checkin")
    await console.handle_line("/as alice")
    gave = await console.handle_line("/points give @bob 3 thanks")
    assert gave is not None and "@alice gave @bob 3 points" in gave
    balance = await console.handle_line("/points balance @bob")
    assert balance is not None and "@bob has 13 points" in balance


async def test_malformed_console_lines_get_usage_not_tracebacks(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    for line in ["/points give", "/as", "/press 9", "/points", "hello", '/points give @b "x', "/"]:
        out = await console.handle_line(line)
        assert out is not None and "Traceback" not in out, line
    assert app.runner.unhandled_errors == 0


async def test_moderator_switch(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    assert await console.handle_line("/as mia --mod") == "Now acting as mia (moderator)."
    assert console.actor.is_moderator


def test_console_script_prints_expected_balances(tmp_path: Path) -> None:
    script = (
        "/checkin\n/points balance\n/as bob\n/checkin\n/as alice\n"
        "/points give @bob 3 thanks\n/points balance @bob\n"
    )
    result = run_console(tmp_path, script, "--no-demo")
    assert result.returncode == 0, result.stderr
    assert "You have 10 points." in result.stdout
    assert "@alice gave @bob 3 points" in result.stdout
    assert "@bob has 13 points." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    # Each echoed line names who typed it, also the line that switches member.
    assert "alice> /as bob\nNow acting as bob." in result.stdout
    assert "bob> /checkin" in result.stdout and "bob> /as alice" in result.stdout


def test_invalid_config_fails_at_start_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text('[points]\ncheckin = -5\n[community]\ntimezone = "Mars/Olympus"\nnmae = "x"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GUILDHALL_CONFIG": str(bad)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "points.checkin" in result.stderr
    assert "community.timezone" in result.stderr and "Mars/Olympus" in result.stderr
    assert "community.nmae: unknown key" in result.stderr


def test_demo_seed_gives_a_newcomer_a_living_community(tmp_path: Path) -> None:
    result = run_console(tmp_path, "/points balance\n/points balance @bob\n")
    assert result.returncode == 0, result.stderr
    # 14 check-ins + the 7-day streak bonus (50), minus 15 given to bob
    assert "You have 175 points." in result.stdout


def test_demo_history_is_not_posted_as_news(tmp_path: Path) -> None:
    result = run_console(tmp_path, "/leaderboard\n")
    assert result.returncode == 0, result.stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line == "alice> /leaderboard", result.stdout[:500]
    # One name per member. (On a Monday alice, the newcomer's persona, is on this week's
    # board only once she checks in; bob already did today.)
    assert "@bob" in result.stdout and "@Bob" not in result.stdout


def test_multi_line_fields_and_footers_print_one_indented_line_each() -> None:
    from bot.console.render import render
    from cogs.kit import Field, Reply

    shown = render(
        Reply(
            title="Profile",
            fields=(Field("Level", "3"), Field("Top achievements", "🏆 One\n🏆 Two")),
            footer="⚠ Looks like #1\nVote with the buttons",
        )
    )
    assert "  Level: 3\n  Top achievements:\n    🏆 One\n    🏆 Two\n" in shown
    assert shown.endswith("  ⚠ Looks like #1\n  Vote with the buttons")
