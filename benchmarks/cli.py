"""`guildhall bench`: the community-day benchmark (`make bench` runs `--quick`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import Any

from bot.settings import Settings
from domain.core.config import CommunityConfig

FULL_MEMBERS = 100_000
QUICK_MEMBERS = 10_000
QUICK_MAX_OPS = 500  # keeps --quick under a minute on a 2-core machine


def add_commands(subparsers: Any) -> None:
    """Register `bench` on the `guildhall` command line."""
    parser = subparsers.add_parser(
        "bench",
        help="measure a community day against the raw driver's floor",
        description="Seed a community, drive a day of commands through the real command "
        "path, and compare with the minimal SQL through the raw driver.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_MEMBERS:,} members (under a minute) instead of {FULL_MEMBERS:,}",
    )
    parser.add_argument("--members", type=int, help="community size (scales every operation)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL to run on instead of a temporary SQLite file "
        "(the database is EMPTIED first: use a dedicated one)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="repeats; medians reported (>=3)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent callers")
    parser.add_argument(
        "--max-ops",
        type=int,
        help="at most this many requests per operation and repeat (a sample of the day; "
        f"--quick uses {QUICK_MAX_OPS:,})",
    )
    parser.add_argument(
        "--only", action="append", default=[], help="run only this operation (repeatable)"
    )
    parser.add_argument(
        "--results", type=Path, default=None, help="directory for the JSON (benchmarks/results)"
    )
    parser.add_argument(
        "--features",
        help="comma-separated features to set up (ablation), e.g. checkin,points,progress",
    )
    parser.add_argument(
        "--without", action="append", default=[], help="set up every feature but this one"
    )
    parser.add_argument(
        "--inline-projections",
        action="store_true",
        help="apply projections inside each command's transaction (the design before the log)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="scale-out run: this many worker processes (>= 2) on one PostgreSQL database, "
        "as several `guildhall run` processes would; needs --database-url postgresql+asyncpg://…",
    )
    parser.add_argument(
        "--projector-process",
        action="store_true",
        help="PostgreSQL: apply activities in a `guildhall project` process of its own, "
        "as `guildhall run` does with GUILDHALL_PROJECTOR_PROCESS",
    )
    parser.set_defaults(handler=handle)


PROJECTOR_PROCESS = (
    "guildhall bench: --projector-process needs PostgreSQL (--database-url"
    " postgresql+asyncpg://…), without --inline-projections or --processes"
)
SQLITE_ONE_WRITER = (
    "guildhall bench: --processes needs PostgreSQL (--database-url postgresql+asyncpg://…):"
    " SQLite has one writer process by design"
)


def is_postgresql(url: str) -> bool:
    """Whether `url` names PostgreSQL (the only engine several processes may write to)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).get_backend_name() == "postgresql"
    except ArgumentError:
        return False


def handle(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    from benchmarks import report, suite

    members = args.members or (QUICK_MEMBERS if args.quick else FULL_MEMBERS)
    if members < 2:
        print("guildhall bench: --members must be at least 2", file=sys.stderr)
        return 2
    if args.repeats < 1:
        print("guildhall bench: --repeats must be at least 1", file=sys.stderr)
        return 2
    if args.processes is not None:
        if args.processes < 2:
            print("guildhall bench: --processes must be at least 2", file=sys.stderr)
            return 2
        if args.database_url is None or not is_postgresql(args.database_url):
            print(SQLITE_ONE_WRITER, file=sys.stderr)
            return 2
        if args.inline_projections:
            print(
                "guildhall bench: --processes measures the projector; drop --inline-projections",
                file=sys.stderr,
            )
            return 2
    if args.projector_process and (
        args.inline_projections
        or args.processes is not None
        or args.database_url is None
        or not is_postgresql(args.database_url)
    ):
        print(PROJECTOR_PROCESS, file=sys.stderr)
        return 2
    logging.getLogger("cogs.kit.runner").setLevel(logging.CRITICAL)  # errors are counted
    from cogs import FEATURES

    features: tuple[str, ...] | None = None
    if args.features or args.without:
        chosen = args.features.split(",") if args.features else list(FEATURES)
        unknown = [f for f in [*chosen, *args.without] if f not in FEATURES]
        if unknown:
            print(f"guildhall bench: unknown feature(s) {', '.join(unknown)}", file=sys.stderr)
            return 2
        features = tuple(f for f in FEATURES if f in chosen and f not in args.without)
    options = suite.Options(
        members=members,
        repeats=args.repeats,
        concurrency=args.concurrency,
        database_url=args.database_url,
        only=tuple(args.only),
        pool_size=settings.db_pool_size,
        max_ops=args.max_ops or (QUICK_MAX_OPS if args.quick else None),
        features=features,
        inline=args.inline_projections,
        projector_process=args.projector_process,
    )
    started = time.perf_counter()
    if args.processes is not None:
        from benchmarks import scaleout

        result = asyncio.run(scaleout.run(options, args.processes, config, _say))
    else:
        result = asyncio.run(suite.run(options, config, _say))
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    result["machine"] = report.machine()
    print()
    print(report.table(result))
    if args.processes is not None:
        print(report.scaleout(result))
    path = report.save(result, args.results or report.RESULTS)
    print(f"\nresults: {path} ({result['wall_seconds']:.0f} s)")
    return 0 if result.get("correct", True) else 1


def _say(line: str) -> None:
    print(line, flush=True)
