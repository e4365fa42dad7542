"""Run the community day: seed, then repeat the day, each op beside its floor.

Every repeat runs each operation twice, first through the raw driver (the
floor, on one day) and then through the whole command path (on the next day),
so both see the same database, the same process and the same noise.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from benchmarks import design, floor, mixed
from benchmarks.driver import BASE, drive
from benchmarks.events import ical_feed
from benchmarks.floor_runs import beside_its_floor, selected_ops
from benchmarks.ops import Operation
from benchmarks.seed import seed
from benchmarks.stats import median, percentile
from bot.app import build_app
from bot.discord.adapter import discord_member_parser
from bot.projector_process import ProjectorProcess
from cogs.kit import Invocation
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from domain.moderation.config import LimitsSection
from storage import migrate
from storage.base import Base
from storage.check import balance_mismatches
from storage.engine import create_database


@dataclass(frozen=True)
class Options:
    members: int
    repeats: int
    concurrency: int
    database_url: str | None
    only: tuple[str, ...] = ()
    pool_size: int = 10
    max_ops: int | None = None  # cap per operation and repeat (a sample of the day)
    features: tuple[str, ...] | None = None  # set up only these (ablation); None = all
    inline: bool = False  # projections inside each command's transaction (the old design)
    projector_process: bool = False  # PostgreSQL: `guildhall project` applies the log


def _aggregate(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure across repeats (counts are summed)."""
    out: dict[str, Any] = {}
    for key in ("ops_per_s", "p50_ms", "p95_ms", "p99_ms"):
        out[key] = round(median([s[key] for s in samples]), 3)
    for key in ("ops_per_s_with_drain", "drain_ms", "lag_p50_ms", "lag_p99_ms", "cpu_ms_per_op"):
        found = [s[key] for s in samples if s.get(key) is not None]
        out[key] = round(median(found), 3) if found else None
    for key in ("ops", "ok", "refused", "errors"):
        out[key] = sum(s[key] for s in samples)
    return out


async def prepare_database(url: str | None, workdir: Path) -> str:
    """A fresh, migrated database: a new SQLite file, or the given PostgreSQL emptied."""
    if url is None:
        url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    database = create_database(url, pool_size=2)
    try:
        if not database.is_sqlite:
            async with database.writer.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await migrate.upgrade(database.writer)
    finally:
        await database.dispose()
    return url


async def _database_bytes(url: str, app_database: Any) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(str(parsed.database))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    async with app_database.reader.connect() as conn:
        size = await conn.scalar(text("SELECT pg_database_size(current_database())"))
    return int(size)


async def run(
    options: Options, config: CommunityConfig, say: Callable[[str], None]
) -> dict[str, Any]:
    """The whole suite; returns the results document (also what the JSON holds)."""
    rng = random.Random(8)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-bench-"))
    try:
        url = await prepare_database(options.database_url, workdir)
        clock = FixedClock(BASE)
        app = await build_app(
            url,
            # The bench replays many commands per member within one simulated minute.
            config.model_copy(update={"limits": LimitsSection()}),
            clock=clock,
            upgrade=False,
            pool_size=options.pool_size,
            features=options.features,
        )
        app.uow.inline = options.inline
        projecting = await _projector_process(app, url) if options.projector_process else None
        # The bench speaks as the Discord adapter does: members named as <@id>, vouched.
        app.runner.member_parsers[Platform.CONSOLE] = discord_member_parser
        try:
            return await _run(app, url, clock, options, config, rng, say, projecting)
        finally:
            if projecting is not None:
                await projecting.stop()
            await app.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def _run(
    app: Any,
    url: str,
    clock: FixedClock,
    options: Options,
    config: CommunityConfig,
    rng: random.Random,
    say: Callable[[str], None],
    projecting: ProjectorProcess | None = None,
) -> dict[str, Any]:
    engine = "sqlite" if app.database.is_sqlite else "postgresql"
    say(f"seeding {options.members:,} members on {engine} …")
    started = time.perf_counter()
    seeded = await seed(app.database, options.members, BASE, rng)
    seed_seconds = time.perf_counter() - started
    say(
        f"seeded {seeded.members:,} members, {seeded.ledger_rows:,} ledger rows"
        f" in {seed_seconds:.1f}s"
    )

    ops, report = selected_ops(app, options.only, say)
    runs: dict[str, list[dict[str, Any]]] = {op.name: [] for op in ops}
    floors: dict[str, list[dict[str, Any]]] = {op.name: [] for op in ops}
    reminders: list[dict[str, Any]] = []
    reminder_job = next((j for j in app.registry.jobs if "remind" in j.name), None)

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
                    say(f"{op.name}: skipped — {round_}")
                    continue
                day, count = round_
                invocations = op.plan(day, count)
                projector = app.uow.projector
                lags_before = len(projector.lags_ms)
                # This process's CPU per operation, the projector's catch-up included:
                # on a shared machine it moves far less than wall-clock throughput.
                cpu_start = time.process_time()
                elsewhere_start = projecting.cpu_seconds() if projecting is not None else 0.0
                sample = await drive(
                    invocations, lambda inv, op=op: _dispatch(app, op, inv), options.concurrency
                )
                s = sample.summary()
                # Honest throughput: the work the projector still owes counts too.
                drain_start = time.perf_counter()
                await projector.drain()
                drain = time.perf_counter() - drain_start
                cpu = time.process_time() - cpu_start
                if projecting is not None:  # the projector's process works for these too
                    cpu += projecting.cpu_seconds() - elsewhere_start
                lags = sorted(list(projector.lags_ms)[lags_before:])
                s["cpu_ms_per_op"] = round(cpu * 1000 / sample.ops, 3) if sample.ops else None
                s["drain_ms"] = round(drain * 1000, 1)
                s["ops_per_s_with_drain"] = (
                    round(sample.ops / (sample.seconds + drain), 1) if sample.seconds else 0.0
                )
                s["lag_p50_ms"] = round(percentile(lags, 50), 1) if lags else None
                s["lag_p99_ms"] = round(percentile(lags, 99), 1) if lags else None
                if day.expected_ok is not None and day.proposals:
                    counted = await _votes_recorded(app, day.proposals)
                    s["votes_expected"] = day.expected_ok
                    s["votes_recorded"] = counted
                    s["exactly_once"] = counted == day.expected_ok and s["errors"] == 0
                runs[op.name].append(s)
                say(
                    f"repeat {repeat} {op.name:<12} {s['ops_per_s']:>8.0f} ops/s"
                    f" ({s['ops_per_s_with_drain']:.0f} with drain)"
                    f"  p99 {s['p99_ms']:.1f} ms  refused {s['refused']}  errors {s['errors']}"
                    + (f"  cpu {s['cpu_ms_per_op']:.2f} ms/op" if s["cpu_ms_per_op"] else "")
                    + (f"  lag p99 {s['lag_p99_ms']:.0f} ms" if s["lag_p99_ms"] is not None else "")
                    + (
                        f"  floor {floors[op.name][-1]['ops_per_s']:.0f} ops/s"
                        if floors[op.name]
                        else ""
                    )
                )
            if reminder_job is not None and not options.only:
                evening = our_day.replace(hour=18)
                clock.set(evening)
                start = time.perf_counter()
                await reminder_job.handler(evening)
                seconds = time.perf_counter() - start
                reminders.append({"seconds": round(seconds, 3)})
                say(f"repeat {repeat} reminders   {seconds:.2f} s for {seeded.members:,} members")
        designs = None
        under_writes = await mixed.under_writes(app, seeded, clock, options, rng, say)
        if not options.only or "leaderboard" in options.only:
            say("leaderboard design at the floor: indexed totals vs GROUP BY over the ledger …")
            designs = await design.compare(raw, seeded.community_id, seeded.members, rng)

    for op in ops:
        if op.name in report:
            continue
        ours = _aggregate(runs[op.name])
        entry: dict[str, Any] = {"status": "measured", "median": ours, "repeats": runs[op.name]}
        checks = [r["exactly_once"] for r in runs[op.name] if "exactly_once" in r]
        if checks:
            entry["exactly_once"] = all(checks)
        if floors[op.name]:
            base = _aggregate(floors[op.name])
            entry["floor"] = base
            entry["floor_repeats"] = floors[op.name]
            entry["ratio"] = (
                round(ours["ops_per_s"] / base["ops_per_s"], 3) if base["ops_per_s"] else None
            )
        report[op.name] = entry
    mismatches = await balance_mismatches(app.database.reader)
    return {
        "engine": engine,
        "features": list(options.features) if options.features else "all",
        "projections": (
            "inline"
            if options.inline
            else "projector process"
            if projecting is not None
            else "projector"
        ),
        "projector": {k: v for k, v in app.uow.projector.stats().items() if k != "lags_ms"},
        "ledger_check": "ok" if not mismatches else f"{len(mismatches)} balances differ",
        "max_ops_per_repeat": options.max_ops,
        "members": seeded.members,
        "ledger_rows_seeded": seeded.ledger_rows,
        "repeats": options.repeats,
        "concurrency": options.concurrency,
        "seed_seconds": round(seed_seconds, 2),
        "operations": {op.name: report[op.name] for op in ops},
        "reminder_planning": (
            {
                "job": reminder_job.name,
                "median_seconds": median([r["seconds"] for r in reminders]),
                "members": seeded.members,
            }
            if reminder_job is not None and reminders
            else {"status": "skipped", "reason": "feature not installed"}
        ),
        "leaderboard_design": designs,
        "leaderboard_under_writes": under_writes,
        "ical_feed": await ical_feed(app, seeded.community_id, say) if not options.only else None,
        "database_bytes": await _database_bytes(url, app.database),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "unhandled_errors": app.runner.unhandled_errors,
        "cpu_count": os.cpu_count(),
    }


async def _votes_recorded(app: Any, proposals: list[int]) -> int | None:
    """Rows in the votes table (primary key: proposal and member) for these proposals."""
    for table in Base.metadata.sorted_tables:
        if {c.name for c in table.primary_key.columns} == {"proposal_id", "member_id"}:
            async with app.database.reader.connect() as conn:
                count = await conn.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.proposal_id.in_(proposals))
                )
            return int(count or 0)
    return None


async def _projector_process(app: Any, url: str) -> ProjectorProcess:
    """Start `guildhall project` on the bench's database; this process only hears of batches."""
    projecting = ProjectorProcess(url, {"GUILDHALL_CLOCK": BASE.isoformat()})
    await projecting.start()
    app.uow.projector.elsewhere = True
    app.uow.projector.watch()
    return projecting


async def _dispatch(app: Any, op: Operation, inv: Invocation) -> str:
    return op.classify(await app.runner.dispatch(inv))
