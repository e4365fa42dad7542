"""The scale-out run: N worker processes against one PostgreSQL database.

`guildhall bench --processes N` answers the question the architecture's
scale-out promise raises: do two `guildhall run` processes on one database
add up, and does anything get lost or doubled when two projectors claim
batches of one activity log (FOR UPDATE SKIP LOCKED) and each also applies the
other's activities (`Projector.watch`)?

The parent seeds once (the normal bench's seeding), runs each operation's
floor itself (the same raw-driver code and concurrency as `guildhall bench`,
so the ratio is against the floor of this run), plans the day's calls
(`benchmarks.ops`, so proposals and double clicks are shared) and deals them
round robin to the workers (`benchmarks.scaleout_worker`), which start
together when every one is armed. The combined rate is all calls over the
span from the first worker's start to the last one's end (and to the last
one's drain: everything applied). The concurrency and the connection pool
are split between the processes, so the total equals the single-process run.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from benchmarks import floor
from benchmarks.cli import is_postgresql
from benchmarks.floor_runs import beside_its_floor, selected_ops
from benchmarks.ops import Day, Operation
from benchmarks.scaleout_checks import Expected, verify
from benchmarks.scaleout_worker import flatten
from benchmarks.seed import seed
from benchmarks.stats import median, percentile
from benchmarks.suite import (
    BASE,
    Options,
    _aggregate,
    _database_bytes,
    prepare_database,
)
from bot.app import App, build_app
from bot.discord.adapter import discord_member_parser
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from domain.moderation.config import LimitsSection

READY_SECONDS = 120.0  # composing an app imports every feature: seconds on a loaded machine
OP_SECONDS = 1800.0  # one operation of one repeat, drive and drain


class WorkerFailed(RuntimeError):
    """A worker process died or broke the protocol; the message quotes its stderr."""


@dataclass
class WorkerProcess:
    """One `python -m benchmarks.scaleout_worker` and the file its stderr goes to."""

    index: int
    proc: asyncio.subprocess.Process
    stderr_path: Path
    stderr: IO[bytes]

    async def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        await self.proc.stdin.drain()

    async def receive(self, within: float = OP_SECONDS) -> dict[str, Any]:
        """The worker's next answer; a worker that died is reported with its stderr."""
        assert self.proc.stdout is not None
        async with asyncio.timeout(within):
            line = await self.proc.stdout.readline()
        if not line:
            await self.proc.wait()
            self.stderr.flush()
            tail = self.stderr_path.read_text(errors="replace").strip().splitlines()[-15:]
            raise WorkerFailed(
                f"worker {self.index} exited with {self.proc.returncode}:\n" + "\n".join(tail)
            )
        return json.loads(line)  # type: ignore[no-any-return]


async def start_workers(count: int, job: dict[str, Any], workdir: Path) -> list[WorkerProcess]:
    """Start `count` workers and wait until each has composed its app."""
    workers: list[WorkerProcess] = []
    for index in range(count):
        path = workdir / f"job-{index}.json"
        path.write_text(json.dumps({**job, "index": index}), encoding="utf-8")
        stderr_path = workdir / f"worker-{index}.log"
        stderr = stderr_path.open("wb")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.scaleout_worker",
            str(path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            limit=2**24,  # one answer carries every latency of an operation
        )
        workers.append(WorkerProcess(index, proc, stderr_path, stderr))
    try:
        for worker in workers:
            await worker.receive(READY_SECONDS)
    except BaseException:
        await stop_workers(workers)  # none left running behind a failed start
        raise
    return workers


async def stop_workers(workers: list[WorkerProcess]) -> list[dict[str, Any]]:
    """Ask each worker to close its app; kill the ones that do not answer."""
    totals: list[dict[str, Any]] = []
    for worker in workers:
        try:
            if worker.proc.returncode is None:
                await worker.send({"stop": True})
                totals.append(await worker.receive(60))
                await asyncio.wait_for(worker.proc.wait(), 30)
        except (WorkerFailed, TimeoutError, ConnectionError) as err:
            totals.append({"closed": False, "error": str(err)[:500]})
        finally:
            if worker.proc.returncode is None:
                worker.proc.kill()
                await worker.proc.wait()
            worker.stderr.close()
        totals[-1]["exit_code"] = worker.proc.returncode
    return totals


async def run_op(
    workers: list[WorkerProcess], op: Operation, day: Day, calls: list[list[Any]], concurrency: int
) -> dict[str, Any]:
    """Deal `calls` round robin, arm every worker, start them together, combine the answers."""
    n = len(workers)
    for i, worker in enumerate(workers):
        share = concurrency // n + (1 if i < concurrency % n else 0)
        await worker.send(
            {
                "op": op.name,
                "day": day.now.isoformat(),
                "concurrency": share,
                "calls": calls[i::n],
            }
        )
    for worker in workers:
        await worker.receive()
    # The barrier: every worker is armed; the go lines leave within microseconds.
    for worker in workers:
        await worker.send({"go": True})
    answers = [await worker.receive() for worker in workers]
    return combine(answers)


def combine(answers: list[dict[str, Any]]) -> dict[str, Any]:
    """One repeat of one operation across the processes, in the suite's keys."""
    start = min(a["started"] for a in answers)
    end = max(a["ended"] for a in answers)
    drained = max(a["drained"] for a in answers)
    ops = sum(a["ops"] for a in answers)
    lat = sorted(x for a in answers for x in a["latencies_ms"])
    lags = sorted(x for a in answers for x in a["lags_ms"])
    outcomes = {k: sum(a["outcomes"].get(k, 0) for a in answers) for k in ("ok", "refused")}
    return {
        "ops": ops,
        "ops_per_s": round(ops / (end - start), 1) if end > start else 0.0,
        "ops_per_s_with_drain": round(ops / (drained - start), 1) if drained > start else 0.0,
        "drain_ms": round((drained - end) * 1000, 1),
        "p50_ms": round(percentile(lat, 50), 3),
        "p95_ms": round(percentile(lat, 95), 3),
        "p99_ms": round(percentile(lat, 99), 3),
        "lag_p50_ms": round(percentile(lags, 50), 1) if lags else None,
        "lag_p99_ms": round(percentile(lags, 99), 1) if lags else None,
        **outcomes,
        "errors": sum(a["outcomes"].get("error", 0) for a in answers),
        # The workers' own CPU (drive and drain) per call; the server's is not counted.
        "cpu_ms_per_op": round(sum(a["cpu_seconds"] for a in answers) * 1000 / ops, 2)
        if ops
        else 0,
        "start_spread_ms": round((max(a["started"] for a in answers) - start) * 1000, 1),
        "per_process": [
            {
                "ops": a["ops"],
                "ops_per_s": round(a["ops"] / a["seconds"], 1) if a["seconds"] else 0.0,
                "errors": a["outcomes"].get("error", 0),
                "activities_applied": a["applied_here"],
                # Busy share of one core over this process's span (1.0: CPU-bound).
                "cpu_busy": round(a["cpu_seconds"] / (a["drained"] - a["started"]), 2)
                if a["drained"] > a["started"]
                else 0.0,
            }
            for a in answers
        ],
    }


async def run(
    options: Options, processes: int, config: CommunityConfig, say: Callable[[str], None]
) -> dict[str, Any]:
    """The scale-out run; returns the results document (what the JSON holds)."""
    if options.database_url is None or not is_postgresql(options.database_url):
        raise ValueError("the scale-out run needs PostgreSQL")
    rng = random.Random(8)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-scaleout-"))
    try:
        url = await prepare_database(options.database_url, workdir)
        clock = FixedClock(BASE)
        bench_config = config.model_copy(update={"limits": LimitsSection()})
        app = await build_app(
            url,
            bench_config,
            clock=clock,
            upgrade=False,
            pool_size=options.pool_size,
            features=options.features,
        )
        app.runner.member_parsers[Platform.CONSOLE] = discord_member_parser
        try:
            return await _run(app, url, clock, options, processes, config, rng, say, workdir)
        finally:
            await app.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def _run(
    app: App,
    url: str,
    clock: FixedClock,
    options: Options,
    processes: int,
    config: CommunityConfig,
    rng: random.Random,
    say: Callable[[str], None],
    workdir: Path,
) -> dict[str, Any]:
    say(f"seeding {options.members:,} members on postgresql …")
    started = time.perf_counter()
    seeded = await seed(app.database, options.members, BASE, rng)
    seed_seconds = time.perf_counter() - started
    ops, report = selected_ops(app, options.only, say)
    runs: dict[str, list[dict[str, Any]]] = {op.name: [] for op in ops}
    floors: dict[str, list[dict[str, Any]]] = {op.name: [] for op in ops}
    expected = Expected()
    job = {
        "url": url,
        "config": config.model_dump_json(),
        "day": BASE.isoformat(),
        "pool_size": max(1, -(-options.pool_size // processes)),  # split, rounded up
        "features": list(options.features) if options.features else None,
    }
    say(f"starting {processes} worker processes …")
    workers = await start_workers(processes, job, workdir)
    try:
        async with floor.open_floor(url, options.pool_size) as raw:
            for repeat in range(1, options.repeats + 1):
                our_day = BASE + timedelta(days=2 * repeat)
                for op in ops:
                    if op.name in report:
                        continue
                    round_ = await beside_its_floor(
                        op,
                        raw,
                        app,
                        seeded,
                        config,
                        clock,
                        rng,
                        repeat,
                        max_ops=options.max_ops,
                        concurrency=options.concurrency,
                        floors=floors[op.name],
                    )
                    if isinstance(round_, str):
                        report[op.name] = {"status": "skipped", "reason": round_}
                        continue
                    day, count = round_
                    calls = [flatten(inv) for inv in op.plan(day, count)]
                    await app.uow.projector.drain()  # the parent's own (proposals) first
                    s = await run_op(workers, op, day, calls, options.concurrency)
                    if op.name == "checkin":
                        expected.checkin_days.append((our_day, s["ok"]))
                    if op.name == "vote":
                        expected.plan_votes(calls)
                        expected.votes_ok += s["ok"]
                    runs[op.name].append(s)
                    rates = " + ".join(f"{p['ops_per_s']:.0f}" for p in s["per_process"])
                    last = floors[op.name][-1]["ops_per_s"] if floors[op.name] else None
                    base = f"  floor {last:.0f}" if last is not None else ""
                    say(
                        f"repeat {repeat} {op.name:<12} {s['ops_per_s']:>7.0f} ops/s combined"
                        f" ({rates} per process; {s['ops_per_s_with_drain']:.0f} with drain)"
                        f"  errors {s['errors']}{base}"
                    )
    finally:
        totals = await stop_workers(workers)
    for op in ops:
        if op.name in report:
            continue
        entry: dict[str, Any] = {
            "status": "measured",
            "median": _aggregate(runs[op.name]),
            "repeats": runs[op.name],
            "per_process_ops_per_s": [
                median([r["per_process"][i]["ops_per_s"] for r in runs[op.name]])
                for i in range(processes)
            ],
            "cpu_ms_per_op": median([r["cpu_ms_per_op"] for r in runs[op.name]]),
            "per_process_cpu_busy": [
                median([r["per_process"][i]["cpu_busy"] for r in runs[op.name]])
                for i in range(processes)
            ],
        }
        if floors[op.name]:
            entry["floor"] = _aggregate(floors[op.name])
            rate = entry["floor"]["ops_per_s"]
            entry["ratio"] = round(entry["median"]["ops_per_s"] / rate, 3) if rate else None
        report[op.name] = entry
    say("checking: log applied, check-ins once, votes once, guildhall db check …")
    checks = await verify(app.database.reader, expected)
    errors = sum(r["errors"] for rs in runs.values() for r in rs)
    worker_errors = sum(int(t.get("unhandled_errors", 0)) for t in totals)
    failures = sum(int(t.get("projector", {}).get("failures", 0)) for t in totals)
    clean_exit = all(t.get("exit_code") == 0 for t in totals)
    checks["no errors in any worker"] = {
        "ok": errors == 0 and worker_errors == 0 and failures == 0 and clean_exit,
        "detail": f"{errors} failed requests, {worker_errors} unhandled, {failures} projector"
        f" batch failures, exit codes {[t.get('exit_code') for t in totals]}",
    }
    ledger = checks["guildhall db check"]
    return {
        "engine": "postgresql",
        "processes": processes,
        "features": list(options.features) if options.features else "all",
        "projections": "projector",
        "ledger_check": "ok" if ledger["ok"] else ledger["detail"],
        "max_ops_per_repeat": options.max_ops,
        "members": seeded.members,
        "ledger_rows_seeded": seeded.ledger_rows,
        "repeats": options.repeats,
        "concurrency": options.concurrency,
        "seed_seconds": round(seed_seconds, 2),
        "operations": {op.name: report[op.name] for op in ops},
        "reminder_planning": {"status": "skipped", "reason": "not part of the scale-out run"},
        "leaderboard_design": None,
        "database_bytes": await _database_bytes(url, app.database),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "worker_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "unhandled_errors": app.runner.unhandled_errors + worker_errors,
        "workers": totals,
        "checks": checks,
        "correct": all(c["ok"] for c in checks.values()),
    }
