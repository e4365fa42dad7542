"""Run `guildhall console --script -` as a real process, as a newcomer would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The process's clock starts here unless a test says otherwise: never the wall clock.
CLOCK = "2026-11-16T12:00:00+00:00"  # a Monday, noon UTC (tests/conftest.py START)
_KEEP = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def run_console(
    tmp_path: Path, script: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Feed `script` to `python -m bot console --script -` on a fresh SQLite file.

    The process's clock starts at `CLOCK` (`GUILDHALL_CLOCK`), in the UTC zone,
    unless `env` sets either.
    """
    # A clean environment: a developer's DISCORD_TOKEN, SLACK_* or DATABASE_URL
    # must not change what the test runs; only what a process needs to start.
    inherited = {k: os.environ[k] for k in _KEEP if k in os.environ}
    full_env = {
        **inherited,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "GUILDHALL_CONFIG": str(ROOT / "config.toml"),
        "GUILDHALL_CLOCK": CLOCK,
        "TZ": "UTC",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--script", "-", *args],
        input=script,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
