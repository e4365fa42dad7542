"""What the projector costs per activity: statements and CPU, independent of machine load.

`python -m benchmarks.projection_cost [--members 200] [--database-url URL]` enrols
members, runs a check-in and a gift for each through the real command path with
the projector paused, then lets it apply the whole backlog and reports the
statements it sent and the CPU time it used per logged activity. Wall-clock
throughput on a shared machine swings by 2×; statement counts and process CPU
do not, so this is how batched and one-at-a-time projections are compared.

Statements are counted with a SQLAlchemy event, which sends every statement
SQLAlchemy's way (`storage.at_driver` steps aside for listeners): so the same
backlog is applied twice, on two fresh databases, timed without the listener
and counted with it.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.suite import prepare_database
from bot.app import App, build_app
from cogs.kit.invocation import Actor, Invocation, Place
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform

START = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


async def _run(app: App, who: str, command: str, text: str = "") -> None:
    await app.runner.dispatch(
        Invocation(
            actor=Actor(Platform.CONSOLE, "bench", who, who),
            key=uuid.uuid4().hex,
            place=Place(channel_id="console"),
            command=command,
            text=text,
        )
    )


async def measure(
    database_url: str, members: int, batch_size: int, *, counting: bool = False
) -> dict[str, Any]:
    """Log a check-in and a gift per member, then time (or count) the projector over them."""
    app = await build_app(database_url, CommunityConfig(), clock=FixedClock(START))
    try:
        projector = app.uow.projector
        app.uow.settle_after_commit = False
        projector.workers = 0  # paused: commits log, nothing applies
        names = [f"m{n}" for n in range(members)]
        for name in names:
            await _run(app, name, "checkin")
        for i, name in enumerate(names):
            await _run(app, name, "points give", f"@{names[(i + 1) % members]} 1")
        projector.workers = 1
        projector.batch_size = batch_size
        statements = 0
        shapes: Counter[str] = Counter()

        def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            nonlocal statements
            statements += 1
            shapes[" ".join(sql.split()[:3])[:60]] += 1

        engine = app.database.projecting.sync_engine
        if counting:
            event.listen(engine, "before_cursor_execute", count)
        cpu, wall = time.process_time(), time.perf_counter()
        activities = 0
        while n := await projector.run_once():
            activities += n
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if counting:
            event.remove(engine, "before_cursor_execute", count)
        per = max(activities, 1)
        return {
            "members": members,
            "batch_size": batch_size,
            "activities": activities,
            "cpu_ms_per_activity": round(1000 * cpu / per, 3),
            "wall_ms_per_activity": round(1000 * wall / per, 3),
            "statements": statements,
            "statements_per_activity": round(statements / per, 2),
            "top_statements": shapes.most_common(8),
        }
    finally:
        await app.close()


async def _measure(url: str | None, members: int, size: int, counting: bool) -> dict[str, Any]:
    """`measure` on a fresh database: a new SQLite file, or the PostgreSQL one emptied."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = await prepare_database(url, Path(tmp))
        return await measure(fresh, members, size, counting=counting)


def main() -> None:
    """Print one line per batch size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--database-url", help="PostgreSQL URL (EMPTIED first); default SQLite")
    parser.add_argument("--batch-size", type=int, action="append", default=[])
    args = parser.parse_args()
    for size in args.batch_size or [256]:
        timed, counted = (
            asyncio.run(_measure(args.database_url, args.members, size, counting))
            for counting in (False, True)
        )
        # Statements from the counted run, time from the one nobody listened to.
        speed = ("cpu_ms_per_activity", "wall_ms_per_activity")
        print({**counted, **{k: timed[k] for k in speed}}, flush=True)


if __name__ == "__main__":
    main()
