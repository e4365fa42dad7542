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
from typing import TYPE_CHECKING

from bot.settings import ConfigError, Settings, load_config, load_settings
from domain.core.config import CommunityConfig
from storage.engine import DatabaseUnavailable, DatabaseUrlError

if TYPE_CHECKING:
    from storage.engine import Database

log = logging.getLogger(__name__)

# Optional command groups; a module that is absent is skipped.
PLUGINS: tuple[str, ...] = (
    "bot.discord.cli",
    "bot.slack.cli",
    "benchmarks.cli",
    "benchmarks.dashboard",
    "bot.community_cli",
)


def log_handler(log_format: str = "text") -> logging.Handler:
    """Text lines for people, or one JSON object per line (`GUILDHALL_LOG_FORMAT=json`)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        # python-json-logger: extras passed to a log call (the error's ref, the command,
        # the platform) become keys of the object.
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def _configure_logging(level: str, log_format: str = "text") -> None:
    logging.basicConfig(  # does nothing when a host (pytest) already set up logging
        level=getattr(logging, level.upper(), logging.INFO), handlers=[log_handler(log_format)]
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # aiosqlite logs every statement with its parameters at DEBUG: votes, names, DMs.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    """Build the `guildhall` command line: run, console, db, bench and the platform helpers."""
    parser = argparse.ArgumentParser(prog="guildhall", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("run", help="start every configured adapter (the console when none is)")
    projecting = sub.add_parser(
        "project", help="apply the activity log in a process of its own (PostgreSQL)"
    )
    projecting.add_argument(
        "--with-parent",
        action="store_true",
        help="also stop when stdin closes (how `guildhall run` starts it)",
    )

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
    db_sub.add_parser(
        "rebuild-projections", help="empty XP, boards, counters and quests; re-apply the log"
    )

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
    """Run the `guildhall` command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        config = load_config(settings.config_path)
    except ConfigError as err:
        print(f"guildhall: {err}", file=sys.stderr)
        return 2
    _configure_logging(settings.log_level, settings.log_format)
    try:
        return _dispatch(args, settings, config)
    except (DatabaseUrlError, DatabaseUnavailable) as err:
        print(f"guildhall: {err}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    handler = getattr(args, "handler", None)
    if handler is not None:
        return int(handler(args, settings, config) or 0)
    if args.command == "run":
        from bot.run import run

        return asyncio.run(run(settings, config))
    if args.command == "project":
        from bot.projector_process import project

        return asyncio.run(project(settings, config, with_parent=args.with_parent))
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
    from storage.check import NOT_MIGRATED, balance_mismatches, escrow_problems, is_migrated
    from storage.engine import check_connection, create_database, sqlite_file
    from storage.payments_check import debt_problems

    database = create_database(settings.database_url)
    try:
        if command == "check":
            path = sqlite_file(database.url)
            if path is not None and not path.exists():
                print(f"guildhall: DATABASE_URL: there is no database at {path}", file=sys.stderr)
                return 2
        await check_connection(database)
        if command == "upgrade":
            await migrate.upgrade(database.writer)
            print("database is up to date")
            return 0
        if not await is_migrated(database.reader):
            print(f"guildhall: {NOT_MIGRATED}", file=sys.stderr)
            return 2
        if command == "rebuild-projections":
            return await _rebuild(settings)
        mismatches = await balance_mismatches(database.reader)
        escrow = await escrow_problems(database.reader)
        escrow += await debt_problems(database.reader)  # payments: debts paid off by the ledger
        if not mismatches and not escrow:
            print("ledger check: every balance matches its ledger; escrow adds up")
        if mismatches:
            print(f"ledger check: {len(mismatches)} balance(s) differ from the ledger")
        for m in mismatches:
            print(f"  member {m.member_id}: cached {m.cached}, ledger says {m.ledger}")
        if escrow:
            print(f"escrow check: {len(escrow)} problem(s)")
        for line in escrow:
            print(f"  {line}")
        slots = await _check_mentoring(database)
        return max(int(bool(mismatches or escrow)), slots, await _check_projections(database))
    finally:
        await database.dispose()


async def _check_mentoring(database: Database) -> int:
    from storage.mentoring.check import mentoring_problems

    problems = await mentoring_problems(database.reader)
    if not problems:
        print("mentoring check: every mentor's used slots match their scheduled sessions")
        return 0
    print(f"mentoring check: {len(problems)} problem(s)")
    for line in problems:
        print(f"  {line}")
    return 1


async def _check_projections(database: Database) -> int:
    from storage.projections import pending_activities, projection_mismatches

    drift = await projection_mismatches(database.reader)
    pending = await pending_activities(database.reader)
    if not drift:
        print(f"projection check: counters and XP match the activity log ({pending} pending)")
        return 0
    print(f"projection check: {len(drift)} value(s) differ from the activity log")
    for d in drift[:50]:
        print(f"  member {d.member_id}: {d.what} is {d.stored}, the log says {d.from_log}")
    print("  (guildhall db rebuild-projections re-applies the log)")
    return 1


async def _rebuild(settings: Settings) -> int:
    """Re-apply the whole activity log to emptied projections, through the one composer."""
    from bot.app import build_app
    from storage.projections import rebuild

    app = await build_app(settings.database_url, load_config(settings.config_path), upgrade=False)
    try:
        applied = await rebuild(app.uow)
    finally:
        await app.close()
    print(f"projections rebuilt from {applied} logged activities")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
