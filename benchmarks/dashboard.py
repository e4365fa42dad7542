"""`guildhall bench-dashboard`: every dashboard page at 100,000 members and a year of activity.

Seeds a community (the same bulk seeding as `guildhall bench`) plus a year of
roll-ups (member-days, daily numbers, cohorts), times the hourly job's two
costs (rolling up a day of raw history; the windows' participation and top
contributors), then signs in through a real link and times each page over
HTTP on loopback. The target: every page under 200 ms (p95) on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks import report
from benchmarks.seed import PLATFORM, WORKSPACE, _bulk, seed
from bot.settings import Settings
from domain.core.config import CommunityConfig

PAGES = (
    "/",
    "/members",
    "/members?q=member4",
    "/members/1",
    "/p/growth",
    "/p/proposals",
    "/p/quests",
    "/p/leaderboards",
    "/p/schedule",
    "/settings",
    "/metrics.json",
)
DAILY_ACTIVE = 0.08  # share of members active on a given day


def add_commands(subparsers: Any) -> None:
    """Register `bench-dashboard` on the `guildhall` command line."""
    parser = subparsers.add_parser(
        "bench-dashboard",
        help="time every dashboard page at 100,000 members and a year of activity",
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=15, help="requests per page (p50/p95)")
    parser.add_argument("--results", type=Path, default=None)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    """Run the measurement and print (and save) the table."""
    if args.members < 10 or args.days < 30 or args.repeats < 3:
        print("guildhall bench-dashboard: needs --members >= 10, --days >= 30, --repeats >= 3")
        return 2
    result = asyncio.run(_run(args.members, args.days, args.repeats, config, print))
    result["machine"] = report.machine()
    folder = args.results or report.RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")  # names the file, measures nothing
    path = folder / f"{stamp}-dashboard-sqlite-{args.members}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults: {path}")
    return 0


def _member_days(
    community_id: int, first_member: int, members: int, today: date, days: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for m in rng.sample(range(members), int(members * DAILY_ACTIVE)):
            checkins = 1 if rng.random() < 0.8 else 0
            yield (
                community_id,
                day,
                first_member + m,
                checkins,
                int(rng.random() < 0.2),
                int(rng.random() < 0.1),
                int(rng.random() < 0.02),
                10 * checkins + rng.randint(0, 20),
                0,
            )


async def _run(
    members: int, days: int, repeats: int, config: CommunityConfig, say: Any
) -> dict[str, Any]:
    from bot.app import build_app
    from bot.dashboard import dashboard_apps
    from bot.web import create_web_app
    from domain.analytics import AnalyticsService
    from domain.core.clock import FixedClock
    from domain.dashboard import DashboardAuth, DashboardSite, Grant
    from domain.identity import IdentityRepository
    from storage.analytics import DailyRow, MemberDayRow, RetentionCohortRow

    now = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
    today = now.date()
    rng = random.Random(7)
    workdir = Path(tempfile.mkdtemp(prefix="guildhall-bench-dashboard-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    app = await build_app(url, config, clock=FixedClock(now))
    out: dict[str, Any] = {"engine": "sqlite", "members": members, "days": days}
    try:
        started = time.perf_counter()
        seeded = await seed(app.database, members, now, rng)
        community_id = seeded.community_id
        async with app.database.writer.begin() as conn:
            first = int((await conn.exec_driver_sql("SELECT min(id) FROM members")).scalar_one())
            await _bulk(
                conn,
                MemberDayRow.__table__,  # type: ignore[arg-type]  # a Table
                (
                    "community_id",
                    "day",
                    "member_id",
                    "checkins",
                    "votes",
                    "gifts",
                    "quests",
                    "points_earned",
                    "points_spent",
                ),
                _member_days(community_id, first, members, today, days, rng),
            )
            dau = int(members * DAILY_ACTIVE)
            await _bulk(
                conn,
                DailyRow.__table__,  # type: ignore[arg-type]  # a Table
                tuple(c.name for c in DailyRow.__table__.columns),
                (
                    (
                        community_id,
                        today - timedelta(days=b),
                        members,
                        rng.randint(0, 300),
                        dau,
                        min(members, dau * 3),
                        min(members, dau * 6),
                        int(dau * 0.8),
                        dau // 5,
                        dau // 10,
                        dau // 50,
                        dau * 20,
                        dau * 3,
                    )
                    for b in range(days, 0, -1)
                ),
            )
            await _bulk(
                conn,
                RetentionCohortRow.__table__,  # type: ignore[arg-type]  # a Table
                ("community_id", "cohort", "size", "d1", "d7", "d30"),
                (
                    (community_id, today - timedelta(days=b), 300, 120, 60, 30)
                    for b in range(days, 0, -1)
                ),
            )
            await conn.exec_driver_sql("ANALYZE")
        out["seed_seconds"] = round(time.perf_counter() - started, 1)
        out["member_day_rows"] = int(members * DAILY_ACTIVE) * days
        say(
            f"seeded {members:,} members and {out['member_day_rows']:,} member-days "
            f"in {out['seed_seconds']} s"
        )
        service = app.ctx.need(AnalyticsService)
        async with app.uow() as uow:
            community = await uow.get(IdentityRepository).get_community(community_id)  # type: ignore[arg-type]
            assert community is not None
            t0 = time.perf_counter()
            await service.roll_up(uow, community, today - timedelta(days=1))
            out["roll_up_day_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            t0 = time.perf_counter()
            await service.refresh_windows(uow, community, now)
            out["refresh_windows_ms"] = round((time.perf_counter() - t0) * 1000, 1)
            grant = Grant(community.id, 1, PLATFORM, WORKSPACE, "1", "member1", True)  # type: ignore[arg-type]
            token = await app.ctx.need(DashboardAuth).issue_link(uow, grant, now)
            await uow.commit()
        say(
            f"job: roll-up of a day {out['roll_up_day_ms']} ms (50,000 check-ins), "
            f"windows {out['refresh_windows_ms']} ms"
        )
        runner = web.AppRunner(create_web_app(subapps=dashboard_apps(app)), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        app.ctx.provide(DashboardSite, DashboardSite(base))
        pages: dict[str, dict[str, float]] = {}
        try:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                async with http.get(f"{base}/dashboard/login?token={token}") as r:
                    assert r.status == 200, r.status
                for page in PAGES:
                    timings = []
                    for _ in range(repeats):
                        t0 = time.perf_counter()
                        async with http.get(f"{base}/dashboard/c/{community_id}{page}") as r:
                            await r.read()
                            assert r.status == 200, (page, r.status)
                        timings.append((time.perf_counter() - t0) * 1000)
                    timings.sort()
                    pages[page] = {
                        "p50_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                        "max_ms": round(timings[-1], 1),
                    }
                    say(
                        f"{page:24} p50 {pages[page]['p50_ms']:7.1f} ms   "
                        f"p95 {pages[page]['p95_ms']:7.1f} ms"
                    )
        finally:
            await runner.cleanup()
        out["pages"] = pages
        out["all_under_200ms_p95"] = all(p["p95_ms"] < 200 for p in pages.values())
        return out
    finally:
        await app.close()
