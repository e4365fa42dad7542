"""`/leaderboard` + your rank while other members write: the read latency a member feels.

The suite's leaderboard operation runs after the write operations have drained,
so it measures reads alone. A real community reads while others check in: half
the callers check in (members who have not yet that day) and the other half ask
for the leaderboard (members who did not write, so their read owes nothing to
the projector), and a last group checks in and reads at once (read your own
write: that read waits for the member's own activities, and only those).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from benchmarks.driver import BASE
from benchmarks.ops import OPERATIONS, Day
from benchmarks.seed import Seeded
from benchmarks.stats import median, percentile
from cogs.kit import Reply
from domain.core.clock import FixedClock

_CHECKIN = next(op for op in OPERATIONS if op.name == "checkin")
_LEADERBOARD = next(op for op in OPERATIONS if op.name == "leaderboard")


async def run(
    app: Any,
    seeded: Seeded,
    now: datetime,
    repeat: int,
    rng: random.Random,
    count: int,
    callers: int,
) -> dict[str, Any]:
    """`count` check-ins and `count` leaderboard reads by `callers` callers, all at once."""
    day = Day(app, seeded, now, 5000 + repeat, rng)
    order = list(range(1, seeded.members + 1))
    rng.shuffle(order)
    writers, readers = order[:count], order[count : 2 * count]
    own = order[2 * count : 2 * count + max(count // 10, 1)]
    writes = [day.invocation(m, "checkin") for m in writers]
    reads = [day.invocation(m, "leaderboard") for m in readers]
    read_ms: list[float] = []
    own_ms: list[float] = []
    errors = 0

    async def call(items: list[Any], timed: list[float] | None, check: Callable[..., str]) -> None:
        nonlocal errors
        while items:
            inv = items.pop()
            start = time.perf_counter()
            if check(await app.runner.dispatch(inv)) == "error":
                errors += 1
            if timed is not None:
                timed.append((time.perf_counter() - start) * 1000)

    async def write_then_read(member: int) -> None:
        nonlocal errors
        if (
            _CHECKIN.classify(await app.runner.dispatch(day.invocation(member, "checkin")))
            == "error"
        ):
            errors += 1
        start = time.perf_counter()
        reply: Reply | None = await app.runner.dispatch(day.invocation(member, "leaderboard"))
        own_ms.append((time.perf_counter() - start) * 1000)
        if _LEADERBOARD.classify(reply) == "error":
            errors += 1

    half = max(callers // 2, 1)
    start = time.perf_counter()
    await asyncio.gather(
        *(call(writes, None, _CHECKIN.classify) for _ in range(half)),
        *(call(reads, read_ms, _LEADERBOARD.classify) for _ in range(max(callers - half, 1))),
        *(write_then_read(m) for m in own),
    )
    seconds = time.perf_counter() - start
    await app.uow.projector.drain()
    read_ms.sort()
    own_ms.sort()
    return {
        "reads": len(read_ms),
        "writes": len(writers) + len(own),
        "seconds": round(seconds, 3),
        "read_p50_ms": round(percentile(read_ms, 50), 1),
        "read_p99_ms": round(percentile(read_ms, 99), 1),
        "own_write_read_p50_ms": round(percentile(own_ms, 50), 1),
        "own_write_read_p99_ms": round(percentile(own_ms, 99), 1),
        "errors": errors,
    }


async def under_writes(
    app: Any,
    seeded: Seeded,
    clock: FixedClock,
    options: Any,
    rng: random.Random,
    say: Callable[[str], None],
) -> dict[str, Any] | None:
    """`/leaderboard` read while half the callers check in (see `benchmarks.mixed`)."""
    if (options.only and "leaderboard" not in options.only) or app.registry.command(
        "leaderboard"
    ) is None:
        return None
    count = min(seeded.members // 4, options.max_ops or seeded.members)
    runs = []
    for repeat in range(1, options.repeats + 1):
        clock.set(BASE + timedelta(days=2 * options.repeats + 2 * repeat))
        result = await run(app, seeded, clock.now(), repeat, rng, count, options.concurrency)
        runs.append(result)
        say(
            f"repeat {repeat} leaderboard under writes: read p50 {result['read_p50_ms']:.1f} ms"
            f"  p99 {result['read_p99_ms']:.1f} ms; right after one's own check-in"
            f" p99 {result['own_write_read_p99_ms']:.1f} ms; errors {result['errors']}"
        )
    keys = ("read_p50_ms", "read_p99_ms", "own_write_read_p50_ms", "own_write_read_p99_ms")
    return {"median": {k: median([r[k] for r in runs]) for k in keys}, "repeats": runs}
