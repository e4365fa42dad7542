"""Leaderboard benchmark: a page and a member's rank at 100,000 members.

    .venv/bin/python -m benchmarks.leaderboards [--url URL] [--members N] [--ledger N]

Seeds a throw-away community (members, ledger rows, and the per-season
scores the running totals would hold), then times what `/leaderboard`
does — the top-10 page, the caller's score, position, board size and the
member just above — against the naive GROUP BY over the ledger. Prints
median and p95 in milliseconds. Not part of the test suite: timings belong
here, never in an assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from storage import migrate
from storage.board_loading import drop_community_scores, load_scores
from storage.engine import create_database
from storage.identity import CommunityRow, MemberRow
from storage.leaderboards import SqlBoardRepository
from storage.points import LedgerRow

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)
SEASONS = ("all", "2026-W47")


async def _timed(fn: Callable[[], Awaitable[object]], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


async def _seed(conn: AsyncConnection, members: int, ledger: int) -> tuple[int, list[int], int]:
    """Members, ledger rows and scores; returns the community, member ids and a median member."""
    community = (
        await conn.execute(
            CommunityRow.__table__.insert()
            .values(name="bench", timezone="UTC", created_at=NOW)
            .returning(CommunityRow.id)
        )
    ).scalar_one()
    first = (await conn.execute(select(func.coalesce(func.max(MemberRow.id), 0)))).scalar_one()
    rows = [
        {
            "id": first + i + 1,
            "community_id": community,
            "display_name": f"m{i}",
            "joined_at": NOW,
        }
        for i in range(members)
    ]
    for i in range(0, len(rows), 5_000):
        await conn.execute(MemberRow.__table__.insert(), rows[i : i + 5_000])
    ids = [r["id"] for r in rows]
    rng = random.Random(7)
    totals = dict.fromkeys(ids, 0)
    batch = []
    for n in range(ledger):
        member_id = rng.choice(ids)
        amount = rng.randint(1, 50)
        totals[member_id] += amount
        batch.append(
            {
                "community_id": community,
                "member_id": member_id,
                "kind": "earned",
                "source": "bench",
                "amount": amount,
                "key": f"bench:{community}:{n}",
                "created_at": NOW,
            }
        )
        if len(batch) == 10_000:
            await conn.execute(LedgerRow.__table__.insert(), batch)
            batch = []
    if batch:
        await conn.execute(LedgerRow.__table__.insert(), batch)
    for season in SEASONS:
        await load_scores(
            conn,
            CommunityId(community),
            "points",
            season,
            ((MemberId(m), t) for m, t in totals.items() if t > 0),
            NOW,
        )
    scored = sorted((t, m) for m, t in totals.items() if t > 0)
    return community, ids, scored[len(scored) // 2][1]


async def _cleanup(conn: AsyncConnection, community: int) -> None:
    """Remove the bench community. Dependents go first, so PostgreSQL may skip FK checks
    (each would scan board_scores, which has no index leading with member_id)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL session_replication_role = replica"))
    await drop_community_scores(conn, CommunityId(community))
    await conn.execute(delete(LedgerRow.__table__).where(LedgerRow.community_id == community))
    await conn.execute(delete(MemberRow.__table__).where(MemberRow.community_id == community))
    await conn.execute(delete(CommunityRow.__table__).where(CommunityRow.id == community))


def _page_sql(cid: int) -> str:
    return (
        "SELECT s.member_id, s.score, m.display_name FROM board_scores s JOIN members m"
        f" ON m.id = s.member_id WHERE s.community_id = {cid} AND s.board = 'points'"
        " AND s.season = '2026-W47' ORDER BY s.score DESC, s.member_id LIMIT 10"
    )


def _position_sql(cid: int) -> str:
    return (
        f"SELECT count(*) FROM board_scores WHERE community_id = {cid} AND board = 'points'"
        " AND season = '2026-W47' AND score > 250"
    )


async def run(url: str, members: int, ledger: int, runs: int, explain: bool = False) -> None:
    database = create_database(url)
    await migrate.upgrade(database.writer)
    started = time.perf_counter()
    async with database.writer.begin() as conn:
        community, ids, median = await _seed(conn, members, ledger)
    # Fresh statistics and visibility map, as autovacuum would keep them.
    if database.is_sqlite:
        async with database.writer.connect() as conn:
            await conn.execute(text("ANALYZE"))
            await conn.commit()
    else:
        async with database.writer.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("board_scores", "board_sizes", "members", "ledger"):
                await auto.execute(text(f"VACUUM ANALYZE {table}"))
    print(
        f"seeded {members:,} members, {ledger:,} ledger rows"
        f" in {time.perf_counter() - started:.1f}s"
    )
    cid = CommunityId(community)
    median_member = MemberId(median)
    try:
        async with database.reader.connect() as conn:
            repo = SqlBoardRepository(conn)

            async def page() -> object:
                return await repo.top(cid, "points", "2026-W47", 10)

            async def rank() -> object:
                found = await repo.rank(cid, "points", "2026-W47", median_member)
                assert found is not None
                score, position, _ = found
                return await repo.next_above(cid, "points", "2026-W47", score, position)

            async def group_by_page() -> object:
                return (
                    await conn.execute(
                        select(LedgerRow.member_id, func.sum(LedgerRow.amount).label("s"))
                        .where(LedgerRow.community_id == community)
                        .group_by(LedgerRow.member_id)
                        .order_by(func.sum(LedgerRow.amount).desc())
                        .limit(10)
                    )
                ).all()

            async def rank_alone() -> object:
                return await repo.rank(cid, "points", "2026-W47", median_member)

            if conn.dialect.name == "postgresql" and explain:
                for label, stmt in (
                    ("page", _page_sql(cid)),
                    ("position", _position_sql(cid)),
                ):
                    plan = await conn.execute(text("EXPLAIN ANALYZE " + stmt))
                    print(label, *[r[0] for r in plan], sep="\n  ")

            for name, fn, n in (
                ("top-10 page (running totals)", page, runs),
                ("  of which: median member's rank + size", rank_alone, runs),
                ("member rank + gap (running totals)", rank, runs),
                ("top-10 page (GROUP BY ledger)", group_by_page, max(3, runs // 20)),
            ):
                med, p95 = await _timed(fn, n)
                print(f"{name:38s} median {med:8.2f} ms   p95 {p95:8.2f} ms   ({n} runs)")

        async with database.writer.connect() as conn:
            await conn.begin()
            writer = SqlBoardRepository(conn)

            async def upsert() -> object:
                member = MemberId(random.choice(ids))
                return await writer.add(cid, "points", list(SEASONS), member, 5, NOW)

            med, p95 = await _timed(upsert, runs)
            print(f"{'score UPSERT (2 seasons)':38s} median {med:8.2f} ms   p95 {p95:8.2f} ms")
            await conn.rollback()
    finally:
        async with database.writer.begin() as conn:
            await _cleanup(conn, community)
        await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--ledger", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL query plans")
    args = parser.parse_args()
    url = args.url
    if url is None:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    asyncio.run(run(url, args.members, args.ledger, args.runs, args.explain))


if __name__ == "__main__":
    main()
