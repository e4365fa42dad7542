"""Bring members' XP and points over from MEE6 or a CSV file, once; export them as CSV.

Formats (README "Import and export"):

- MEE6: the public leaderboard JSON (`{"players": [{"id", "username", "xp", …}]}`) of one
  Discord guild; its XP becomes Guildhall XP (MEE6 has no points).
- CSV: a header row with `user_id`, `xp`, `points` and optionally `name`, `platform`,
  `workspace_id` (the command's `--platform`/`--workspace` fill in what is missing).

Each row is granted once per (source, platform account): the ledger and XP entries carry
an idempotency key, so running the same import again changes nothing, and `--dry-run`
shows what a run would do without doing it. A platform account Guildhall does not know
yet becomes a member under the file's name, so the XP is there on their first command.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.core.errors import InvalidInputError
from domain.identity.model import Platform

MAX_AMOUNT = 1_000_000_000
CSV_COLUMNS = ("platform", "workspace_id", "user_id", "name", "xp", "points")


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One member's totals from a file."""

    platform: Platform
    workspace_id: str
    user_id: str
    name: str
    xp: int
    points: int


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened (or, in a dry run, would happen) to one row."""

    row: ImportRow
    member_id: int | None
    new_member: bool
    xp: int
    points: int
    skipped: str | None = None  # why nothing was granted ("already imported", "locked")


def _amount(raw: Any, what: str, line: int) -> int:
    text = str(raw if raw is not None else "").strip() or "0"
    if not (text.lstrip("-").isascii() and text.lstrip("-").isdigit()):
        raise InvalidInputError(problem=f"line {line}: {what} must be a whole number")
    value = int(text)
    if not 0 <= value <= MAX_AMOUNT:
        raise InvalidInputError(problem=f"line {line}: {what} must be 0 to {MAX_AMOUNT}")
    return value


def _user_id(raw: Any, line: int) -> str:
    text = str(raw or "").strip()
    if not text or len(text) > 64 or not all(ch.isalnum() or ch in "-_." for ch in text):
        raise InvalidInputError(problem=f"line {line}: a user id of letters and digits is needed")
    return text


def parse_mee6(data: str, guild_id: str) -> list[ImportRow]:
    """MEE6's leaderboard JSON for one guild.

    Raises:
        InvalidInputError: not JSON, no `players` list, or a player without a valid id/xp.
    """
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as err:
        raise InvalidInputError(problem=f"not JSON ({err.msg})") from None
    players = parsed.get("players") if isinstance(parsed, dict) else None
    if not isinstance(players, list):
        raise InvalidInputError(problem="no `players` list: is this MEE6's leaderboard JSON?")
    rows = []
    for n, player in enumerate(players, start=1):
        if not isinstance(player, dict):
            raise InvalidInputError(problem=f"player {n}: not an object")
        user = _user_id(player.get("id"), n)
        name = str(player.get("username") or user)[:100]
        rows.append(
            ImportRow(Platform.DISCORD, guild_id, user, name, _amount(player.get("xp"), "xp", n), 0)
        )
    return rows


def parse_csv(
    data: str, platform: Platform | None = None, workspace_id: str | None = None
) -> list[ImportRow]:
    """A CSV of totals; `platform`/`workspace_id` stand in for missing columns.

    Raises:
        InvalidInputError: no `user_id` column, or a row with a bad id, amount or platform.
    """
    try:
        return _csv_rows(data, platform, workspace_id)
    except csv.Error as err:
        raise InvalidInputError(problem=f"not a CSV file ({err})") from None


def _csv_rows(data: str, platform: Platform | None, workspace_id: str | None) -> list[ImportRow]:
    reader = csv.DictReader(io.StringIO(data))
    fields = {f.strip().lower() for f in reader.fieldnames or ()}
    if "user_id" not in fields:
        raise InvalidInputError(problem="the header needs a `user_id` column")
    rows = []
    for n, raw in enumerate(reader, start=2):
        record = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        where = record.get("workspace_id") or workspace_id
        kind = record.get("platform") or (str(platform) if platform else "")
        if kind not in {str(p) for p in Platform}:
            raise InvalidInputError(problem=f"line {n}: platform must be discord, slack or console")
        if not where:
            raise InvalidInputError(problem=f"line {n}: no workspace_id (column or --workspace)")
        user = _user_id(record.get("user_id"), n)
        rows.append(
            ImportRow(
                Platform(kind),
                where[:64],
                user,
                (record.get("name") or user)[:100],
                _amount(record.get("xp"), "xp", n),
                _amount(record.get("points"), "points", n),
            )
        )
    return rows


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The export: one row per member, in the columns `parse_csv` reads back."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*CSV_COLUMNS, "member_id", "accounts"])
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
