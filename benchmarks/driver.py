"""Drive many callers over a list of requests and time each: the bench's one loop.

Shared by the day (`benchmarks.suite`), the floors (`benchmarks.floor_runs`) and
the scale-out workers, so every figure is timed the same way.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from benchmarks.stats import percentile

# Start of the benchmark "calendar": day 1 of repeat 1 is the day after.
BASE = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass
class Sample:
    """One operation, one repeat: how many, how fast, how it went."""

    ops: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    outcomes: Counter[str]

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)
        return {
            "ops": self.ops,
            "ops_per_s": round(self.ops / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(lat, 50), 3),
            "p95_ms": round(percentile(lat, 95), 3),
            "p99_ms": round(percentile(lat, 99), 3),
            "ok": self.outcomes["ok"],
            "refused": self.outcomes["refused"],
            "errors": self.outcomes["error"],
        }


async def drive(
    items: Iterable[Any], call: Callable[[Any], Awaitable[str]], concurrency: int
) -> Sample:
    """Run `call` over `items` with `concurrency` callers; time each call."""
    iterator = iter(items)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()

    async def caller() -> None:
        for item in iterator:
            start = time.perf_counter()
            try:
                outcome = await call(item)
            except Exception:
                outcome = "error"
            latencies.append((time.perf_counter() - start) * 1000)
            outcomes[outcome] += 1

    start = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    return Sample(len(latencies), seconds, latencies, outcomes)
