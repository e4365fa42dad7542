"""`guildhall import mee6|csv` and `guildhall export csv`: members' totals in and out."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings
from domain.core.config import CommunityConfig
from domain.core.errors import InvalidInputError
from domain.core.ids import CommunityId
from domain.identity.model import Platform
from domain.mydata.imports import ImportOutcome, ImportRow, parse_csv, parse_mee6, to_csv


def add_commands(subparsers: Any) -> None:
    """Add `guildhall import mee6|csv` and `guildhall export csv` to the CLI's parsers."""
    imports = subparsers.add_parser("import", help="import members' XP and points (once)")
    sub = imports.add_subparsers(dest="import_command", required=True)
    mee6 = sub.add_parser("mee6", help="MEE6's public leaderboard JSON of one Discord guild")
    mee6.add_argument("--guild", required=True, metavar="ID", help="the Discord guild id")
    mee6.add_argument("--file", required=True, type=Path, metavar="FILE")
    mee6.add_argument("--dry-run", action="store_true", help="show what would change")
    mee6.set_defaults(handler=_import)
    csv_ = sub.add_parser("csv", help="a CSV with user_id, xp, points (and name, platform…)")
    csv_.add_argument("--file", required=True, type=Path, metavar="FILE")
    csv_.add_argument("--platform", choices=[str(p) for p in Platform], default=None)
    csv_.add_argument("--workspace", metavar="ID", help="guild/workspace id for rows without one")
    csv_.add_argument("--dry-run", action="store_true", help="show what would change")
    csv_.set_defaults(handler=_import)
    export = subparsers.add_parser("export", help="export members' totals")
    export_sub = export.add_subparsers(dest="export_command", required=True)
    out = export_sub.add_parser("csv", help="one row per member, in the import's columns")
    out.add_argument("--community", type=int, metavar="ID", help="only this community")
    out.add_argument("--file", type=Path, metavar="FILE", help="write here (default: stdout)")
    out.set_defaults(handler=_export)


def rows_from(args: argparse.Namespace) -> tuple[str, list[ImportRow]]:
    """The source name and parsed rows the arguments name."""
    text = args.file.read_text(encoding="utf-8")
    if args.import_command == "mee6":
        return "mee6", parse_mee6(text, str(args.guild))
    platform = Platform(args.platform) if args.platform else None
    return "csv", parse_csv(text, platform, args.workspace)


async def run_import(
    app: Any, source: str, rows: list[ImportRow], *, dry_run: bool
) -> list[ImportOutcome]:
    """Apply the rows in one unit of work: committed, or rolled back for a dry run."""
    from domain.mydata.importer import Importer

    importer = app.ctx.need(Importer)
    async with app.uow() as uow:
        outcomes = await importer.apply(uow, source, rows, dry_run=dry_run)
        if not dry_run:
            await uow.commit()
    return outcomes


async def export_csv(app: Any, community_id: int | None) -> str:
    """Export members' totals as CSV in the import's columns, of one community or all."""
    from domain.mydata.repository import ImportGrants

    async with app.uow(read_only=True) as uow:
        rows = await uow.get(ImportGrants).export_rows(
            CommunityId(community_id) if community_id is not None else None
        )
    return to_csv(rows)


def summary(outcomes: list[ImportOutcome], *, dry_run: bool) -> str:
    """A line per row and a total, as the operator reads it."""
    lines = []
    for o in outcomes:
        who = f"{o.row.platform}:{o.row.user_id} ({o.row.name})"
        if o.skipped:
            lines.append(f"  skip  {who}: {o.skipped}")
        else:
            new = " [new member]" if o.new_member else ""
            lines.append(f"  grant {who}: +{o.xp} XP, +{o.points} points{new}")
    granted = [o for o in outcomes if not o.skipped]
    verb = "would grant" if dry_run else "granted"
    lines.append(
        f"{verb} {len(granted)} of {len(outcomes)} rows: "
        f"{sum(o.xp for o in granted)} XP, {sum(o.points for o in granted)} points"
    )
    return "\n".join(lines)


def _import(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    try:
        source, rows = rows_from(args)
    except (OSError, InvalidInputError) as err:
        problem = err.params.get("problem") if isinstance(err, InvalidInputError) else err
        print(f"guildhall: {args.file}: {problem}", file=sys.stderr)
        return 2
    return asyncio.run(_with_app(settings, config, source, rows, args.dry_run))


async def _with_app(
    settings: Settings,
    config: CommunityConfig,
    source: str,
    rows: list[ImportRow],
    dry_run: bool,
) -> int:
    from bot.app import build_app

    app = await build_app(settings.database_url, config, pool_size=1)
    try:
        print(summary(await run_import(app, source, rows, dry_run=dry_run), dry_run=dry_run))
        return 0
    finally:
        await app.close()


def _export(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    async def go() -> str:
        from bot.app import build_app

        app = await build_app(settings.database_url, config, pool_size=1)
        try:
            return await export_csv(app, args.community)
        finally:
            await app.close()

    body = asyncio.run(go())
    if args.file:
        args.file.write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)
    return 0
