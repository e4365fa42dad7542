"""Print the results as a table and keep them as JSON with the machine's details."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def machine() -> dict[str, Any]:
    """Where the figures were measured: CPU count, Python and library versions."""
    versions = {}
    for package in ("guildhall", "sqlalchemy", "aiosqlite", "asyncpg"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover
            versions[package] = None
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "commit": commit or None,
        **versions,
    }


def table(result: dict[str, Any]) -> str:
    """A plain-text table: medians of the repeats, and the ratio to the floor."""
    head = (
        f"{'operation':<13}{'ops':>8}{'ops/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'refused':>9}{'errors':>8}{'floor/s':>9}{'ratio':>7}{'+drain/s':>9}{'lag p99':>9}"
        f"{'cpu ms/op':>10}"
    )
    lines = [
        f"Guildhall community day — {result['engine']}, {result['members']:,} members, "
        f"{result['ledger_rows_seeded']:,} seeded ledger rows, {result['concurrency']} callers, "
        f"median of {result['repeats']} repeats"
        + (
            f", at most {result['max_ops_per_repeat']:,} requests per operation and repeat"
            if result.get("max_ops_per_repeat")
            else ""
        ),
        head,
        "-" * len(head),
    ]
    for name, entry in result["operations"].items():
        if entry["status"] != "measured":
            lines.append(f"{name:<13}  skipped: {entry['reason']}")
            continue
        m = entry["median"]
        f = entry.get("floor")
        floor_rate = f"{f['ops_per_s']:>9.0f}" if f else f"{'-':>9}"
        ratio = f"{entry['ratio']:>6.2f}x" if entry.get("ratio") else f"{'-':>7}"
        drained = m.get("ops_per_s_with_drain")
        lag = m.get("lag_p99_ms")
        lines.append(
            f"{name:<13}{m['ops']:>8}{m['ops_per_s']:>9.0f}{m['p50_ms']:>9.2f}{m['p95_ms']:>9.2f}"
            f"{m['p99_ms']:>9.2f}{m['refused']:>9}{m['errors']:>8}{floor_rate}{ratio}"
            + (f"{drained:>9.0f}" if drained is not None else f"{'-':>9}")
            + (f"{lag:>7.0f}ms" if lag is not None else f"{'-':>9}")
            + (f"{cpu:>10.2f}" if (cpu := m.get("cpu_ms_per_op")) is not None else f"{'-':>10}")
        )
    for name, entry in result["operations"].items():
        if "exactly_once" in entry:
            verdict = "yes" if entry["exactly_once"] else "NO"
            lines.append(
                f"{name}: each vote counted exactly once (double clicks included): {verdict}"
            )
    rp = result["reminder_planning"]
    if "median_seconds" in rp:
        lines.append(
            f"reminder planning ({rp['job']}): {rp['median_seconds']:.2f} s for "
            f"{rp['members']:,} members"
        )
    else:
        lines.append(f"reminder planning: skipped: {rp.get('reason', 'feature not installed')}")
    design = result.get("leaderboard_design")
    if design:
        parts = [
            f"{name} p50 {d['p50_ms']:.2f} ms / p99 {d['p99_ms']:.2f} ms"
            for name, d in design.items()
        ]
        lines.append("leaderboard top 10 + rank at the floor: " + "; ".join(parts))
    lines.append(
        f"features: {result.get('features', 'all')}; projections: "
        f"{result.get('projections', 'inline')}; +drain/s counts the projector's catch-up"
        " after the commands; lag = commit to applied; cpu ms/op = this process's CPU"
        " (and the projector process's) per operation, catch-up included (steadier than"
        " ops/s on a shared machine)"
    )
    lines.append(
        f"peak RSS {result['peak_rss_mb']:.0f} MB;"
        f" database {result['database_bytes'] / 2**20:.0f} MB;"
        f" seeding {result['seed_seconds']:.1f} s; unhandled errors {result['unhandled_errors']};"
        f" ledger check {result['ledger_check']}"
    )
    return "\n".join(lines)


def scaleout(result: dict[str, Any]) -> str:
    """The scale-out run's own lines: each process's share, and what was checked.

    The combined rate is every process's calls over the span from the first
    start to the last end; a process's own rate is its calls over its own span.
    """
    n = result["processes"]
    lines = [
        f"Scale-out: {n} worker processes on one PostgreSQL database, "
        f"{result['concurrency']} callers and the pool split between them",
        f"{'operation':<13}{'combined/s':>11}{'per process/s':>22}{'floor/s':>9}{'ratio':>7}"
        f"{'+drain/s':>9}{'lag p99':>9}{'CPU ms/op':>10}{'CPU busy':>12}",
    ]
    for name, entry in result["operations"].items():
        if entry["status"] != "measured":
            continue
        m = entry["median"]
        shares = " + ".join(f"{x:.0f}" for x in entry["per_process_ops_per_s"])
        f = entry.get("floor")
        lag = m.get("lag_p99_ms")
        lines.append(
            f"{name:<13}{m['ops_per_s']:>11.0f}{shares:>22}"
            + (f"{f['ops_per_s']:>9.0f}" if f else f"{'-':>9}")
            + (f"{entry['ratio']:>6.2f}x" if entry.get("ratio") else f"{'-':>7}")
            + f"{m['ops_per_s_with_drain']:>9.0f}"
            + (f"{lag:>7.0f}ms" if lag is not None else f"{'-':>9}")
            + f"{entry['cpu_ms_per_op']:>10.1f}"
            + f"{' + '.join(f'{x:.2f}' for x in entry['per_process_cpu_busy']):>12}"
        )
    lines.append(
        "CPU ms/op: the workers' own CPU per call (drive and drain; not the database server's);"
        " CPU busy: each worker's CPU seconds over its wall seconds (1.00 = one core, CPU-bound)"
    )
    for check, verdict in result["checks"].items():
        lines.append(f"{'ok  ' if verdict['ok'] else 'FAIL'} {check}: {verdict['detail']}")
    lines.append(f"worker peak RSS {result['worker_peak_rss_mb']:.0f} MB (the largest worker)")
    return "\n".join(lines)


def save(result: dict[str, Any], directory: Path = RESULTS) -> Path:
    """Write `<directory>/<UTC timestamp>-<engine>.json`; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    scaled = f"-x{result['processes']}" if result.get("processes") else ""
    path = directory / f"{stamp}-{result['engine']}-{result['members']}{scaled}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    return path
