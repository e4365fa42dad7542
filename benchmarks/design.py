"""Why leaderboards read a totals table: a one-off comparison at the floor.

"Top 10 plus the caller's rank" answered three ways through the raw driver:
from an indexed per-member totals table (rank = how many score higher: a
count that grows with the community), from the same table plus a per-score
histogram (rank = a sum over distinct scores, far fewer rows), and as a
GROUP BY over the whole ledger (what a naive design does on every request).
The numbers go into the results so the design's reason stays measured, not
remembered.
"""

from __future__ import annotations

import random
import time
from typing import Any

from benchmarks.floor import Floor, Tx
from benchmarks.stats import percentile

_TOP = (
    "SELECT member_id, points FROM bench_totals WHERE community_id = ?"
    " ORDER BY points DESC, member_id LIMIT 10"
)
_RANK = (
    "SELECT count(*) + 1 FROM bench_totals WHERE community_id = ? AND points >"
    " (SELECT points FROM bench_totals WHERE member_id = ?)"
)
# Rank from a per-score histogram: rows = distinct scores, far fewer than members.
_HIST_RANK = (
    "SELECT coalesce(sum(members), 0) + 1 FROM bench_score_counts WHERE community_id = ?"
    " AND points > (SELECT points FROM bench_totals WHERE member_id = ?)"
)
_GROUP_TOP = (
    "SELECT member_id, sum(amount) AS total FROM ledger WHERE community_id = ?"
    " GROUP BY member_id ORDER BY total DESC, member_id LIMIT 10"
)
_GROUP_RANK = (
    "SELECT count(*) + 1 FROM (SELECT member_id FROM ledger WHERE community_id = ?"
    " GROUP BY member_id HAVING sum(amount) >"
    " (SELECT sum(amount) FROM ledger WHERE member_id = ?)) AS above"
)


async def compare(
    floor: Floor, community_id: int, members: int, rng: random.Random, samples: int = 300
) -> dict[str, Any]:
    """Time both designs; the GROUP BY only a few times, it is that slow."""

    async def setup(tx: Tx) -> None:
        await tx.execute("DROP TABLE IF EXISTS bench_totals")
        await tx.execute(
            "CREATE TABLE bench_totals (member_id INTEGER PRIMARY KEY,"
            " community_id INTEGER NOT NULL, points INTEGER NOT NULL)"
        )
        await tx.execute(
            "INSERT INTO bench_totals SELECT member_id, community_id, points FROM balances"
        )
        await tx.execute(
            "CREATE INDEX ix_bench_totals_rank ON bench_totals (community_id, points, member_id)"
        )

    async def histogram(tx: Tx) -> None:
        await tx.execute("DROP TABLE IF EXISTS bench_score_counts")
        await tx.execute(
            "CREATE TABLE bench_score_counts (community_id INTEGER NOT NULL,"
            " points INTEGER NOT NULL, members INTEGER NOT NULL,"
            " PRIMARY KEY (community_id, points))"
        )
        await tx.execute(
            "INSERT INTO bench_score_counts SELECT community_id, points, count(*)"
            " FROM bench_totals GROUP BY community_id, points"
        )

    await floor.transaction(setup)
    await floor.transaction(histogram)
    # As a live table would be: statistics known, and on PostgreSQL the visibility
    # map set so that counting a rank is an index-only scan.
    for table in ("bench_totals", "bench_score_counts"):
        await floor.maintain(
            f"VACUUM ANALYZE {table}" if floor.dialect == "postgresql" else f"ANALYZE {table}"
        )

    async def indexed(tx: Tx, member: int) -> None:
        await tx.rows(_TOP, community_id)
        await tx.row(_RANK, community_id, member)

    async def bucketed(tx: Tx, member: int) -> None:
        await tx.rows(_TOP, community_id)
        await tx.row(_HIST_RANK, community_id, member)

    async def grouped(tx: Tx, member: int) -> None:
        await tx.rows(_GROUP_TOP, community_id)
        await tx.row(_GROUP_RANK, community_id, member)

    results: dict[str, Any] = {}
    designs = (
        ("indexed totals", indexed, samples),
        ("totals + score histogram", bucketed, samples),
        ("group by ledger", grouped, 3),
    )
    for name, fn, n in designs:
        times = []
        for _ in range(n):
            member = rng.randint(1, members)
            start = time.perf_counter()
            await floor.transaction(lambda tx, m=member, f=fn: f(tx, m))  # type: ignore[misc]
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results[name] = {
            "samples": n,
            "p50_ms": round(percentile(times, 50), 3),
            "p99_ms": round(percentile(times, 99), 3),
        }

    async def drop(tx: Tx) -> None:
        await tx.execute("DROP TABLE bench_score_counts")
        await tx.execute("DROP TABLE bench_totals")

    await floor.transaction(drop)
    return results
