"""`guildhall`: run the bot, drive the console, manage the database.

Sub-commands of other parts (discord, slack, bench) register themselves
through `PLUGINS`: modules exposing `add_commands(subparsers)`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.settings import ConfigError, Settings, load_config, load_settings

log = logging.getLogger(__name__)

# Optional command groups; a module that is absent is skipped.
PLUGINS: tuple[str, ...] = (
    "bot.discord.cli",
    "bot.slack.cli",
    "benchmarks.cli",
    "bot.community_cli",
)


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # aiosqlite logs every statement with its parameters at DEBUG: votes, names, DMs.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guildhall", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="start every configured adapter (the console when none is)")

    console = sub.add_parser("console", help="drive the bot from text lines")
    console.add_argument(
        "--script", metavar="FILE", help="run the lines of FILE ('-' for stdin) and exit"
    )
    console.add_argument("--as", dest="actor", default="alice", help="act as this member first")
    console.add_argument("--no-demo", action="store_true", help="do not seed the demo community")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations")
    db_sub.add_parser("check", help="recompute balances from the ledger and report mismatches")

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name and name.startswith(err.name):
                continue
            raise
        module.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        config = load_config(settings.config_path)
    except ConfigError as err:
        print(f"guildhall: {err}", file=sys.stderr)
        return 2
    _configure_logging(settings.log_level)
    handler = getattr(args, "handler", None)
    if handler is not None:
        return int(handler(args, settings, config) or 0)
    if args.command == "run":
        from bot.run import run

        return asyncio.run(run(settings, config))
    if args.command == "console":
        from bot.run import console

        return asyncio.run(
            console(settings, config, script=args.script, actor=args.actor, demo=not args.no_demo)
        )
    if args.command == "db":
        return asyncio.run(_db(args.db_command, settings))
    return 2  # pragma: no cover - argparse rejects other commands


async def _db(command: str, settings: Settings) -> int:
    from storage import migrate
    from storage.check import balance_mismatches, escrow_problems
    from storage.engine import create_database

    database = create_database(settings.database_url)
    try:
        if command == "upgrade":
            await migrate.upgrade(database.writer)
            print("database is up to date")
            return 0
        mismatches = await balance_mismatches(database.reader)
        escrow = await escrow_problems(database.reader)
        if not mismatches and not escrow:
            print("ledger check: every balance matches its ledger; escrow adds up")
            return 0
        if mismatches:
            print(f"ledger check: {len(mismatches)} balance(s) differ from the ledger")
        for m in mismatches:
            print(f"  member {m.member_id}: cached {m.cached}, ledger says {m.ledger}")
        if escrow:
            print(f"escrow check: {len(escrow)} problem(s)")
        for line in escrow:
            print(f"  {line}")
        return 1
    finally:
        await database.dispose()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
