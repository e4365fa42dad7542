"""Seed a benchmark community with bulk inserts through our own tables.

Rows go in as executemany batches (COPY on PostgreSQL), never one command per
row, so that seeding 100,000 members and 1,000,000 ledger rows takes seconds.
The members' platform accounts are `console/bench/<n>`, so a benchmark caller
is just `Actor(Platform.CONSOLE, "bench", str(n), ...)`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.checkin import CheckinRow, StreakRow
from storage.engine import Database
from storage.identity import AccountRow, CommunityRow, MemberRow, WorkspaceRow
from storage.points import BalanceRow, LedgerRow

WORKSPACE = "bench"
PLATFORM = "console"
BATCH = 20_000
LEDGER_PER_MEMBER = 10
SEED_WEEKS = 8


@dataclass(frozen=True, slots=True)
class Seeded:
    """What the day driver needs to know about the seeded community."""

    community_id: int
    members: int
    ledger_rows: int
    moderator_user_id: str


def user_id(n: int) -> str:
    """The platform user id of seeded member `n` (digits, so `<@n>` mentions work)."""
    return str(n)


def display_name(n: int) -> str:
    return f"member{n}"


async def seed(database: Database, members: int, now: datetime, rng: random.Random) -> Seeded:
    """Create one community with `members` members and ten ledger rows each.

    The ledger rows are spread over the eight weeks before `now`; balances are
    their exact sums (so `guildhall db check` passes); half the members checked
    in yesterday and carry a streak.
    """
    naive_now = now.replace(tzinfo=None)
    yesterday = (now - timedelta(days=1)).date()
    async with database.writer.begin() as conn:
        community_id = (
            await conn.execute(
                CommunityRow.__table__.insert()
                .values(name="Bench Community", timezone="UTC", created_at=now)
                .returning(CommunityRow.__table__.c.id)
            )
        ).scalar_one()
        await conn.execute(
            WorkspaceRow.__table__.insert().values(
                platform=PLATFORM, workspace_id=WORKSPACE, community_id=community_id
            )
        )
        first = int((await conn.execute(select(func.coalesce(func.max(MemberRow.id), 0)))).scalar())
        ids = range(first + 1, first + members + 1)
        joined = naive_now - timedelta(weeks=SEED_WEEKS + 1)
        await _bulk(
            conn,
            MemberRow.__table__,
            ("id", "community_id", "display_name", "timezone", "joined_at", "locked_reason"),
            ((m, community_id, display_name(m - first), None, joined, None) for m in ids),
        )
        await _joined(conn, int(community_id))
        await _bulk(
            conn,
            AccountRow.__table__,
            ("platform", "workspace_id", "user_id", "member_id"),
            ((PLATFORM, WORKSPACE, user_id(m - first), m) for m in ids),
        )
        balances: dict[int, int] = {}
        span = int(timedelta(weeks=SEED_WEEKS).total_seconds())

        def ledger() -> Iterator[tuple[Any, ...]]:
            for m in ids:
                total = 0
                for i in range(LEDGER_PER_MEMBER):
                    amount = rng.randint(1, 30)
                    total += amount
                    at = naive_now - timedelta(seconds=rng.randrange(span))
                    yield (community_id, m, "earned", "seed", amount, f"seed:{m}:{i}", at)
                balances[m] = total

        await _bulk(
            conn,
            LedgerRow.__table__,
            ("community_id", "member_id", "kind", "source", "amount", "key", "created_at"),
            ledger(),
        )
        await _bulk(
            conn,
            BalanceRow.__table__,
            ("member_id", "community_id", "points"),
            ((m, community_id, balances[m]) for m in ids),
        )
        streaking = [m for m in ids if m % 2 == 0]
        checked = naive_now - timedelta(days=1)
        await _bulk(
            conn,
            StreakRow.__table__,
            (
                "member_id",
                "community_id",
                "current",
                "longest",
                "total",
                "last_checkin_at",
                "last_local_date",
            ),
            (
                (m, community_id, 1, 1, 1, checked, yesterday)
                if m % 2 == 0
                else (m, community_id, 0, 0, 0, None, None)
                for m in ids
            ),
        )
        await _bulk(
            conn,
            CheckinRow.__table__,
            ("member_id", "seq", "community_id", "local_date", "checked_at"),
            ((m, 1, community_id, yesterday, checked) for m in streaking),
        )
        if conn.dialect.name == "postgresql":
            # Explicit ids leave the sequences behind; later inserts must not collide.
            for table in ("members", "ledger"):
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            await conn.execute(text("ANALYZE"))
    if database.is_sqlite:
        async with database.writer.connect() as conn:
            await conn.exec_driver_sql("ANALYZE")
            await conn.commit()
    return Seeded(int(community_id), members, members * LEDGER_PER_MEMBER, user_id(1))


async def _joined(conn: AsyncConnection, community_id: int) -> None:
    """Log the seeded joins (applied) and store the community size, as enrolment would."""
    empty = "'{}'::json" if conn.dialect.name == "postgresql" else "'{}'"
    await conn.execute(
        text(
            "INSERT INTO activity_log"
            " (community_id, member_id, kind, version, key, occurred_at, data, applied, derived)"
            " SELECT community_id, id, 'member_joined', 1, 'member_joined:' || id, joined_at,"
            f" {empty}, TRUE, FALSE FROM members WHERE community_id = :c"
        ),
        {"c": community_id},
    )
    await conn.execute(
        text(
            "INSERT INTO community_sizes (community_id, what, members)"
            " SELECT community_id, 'members', count(*) FROM members WHERE community_id = :c"
            " GROUP BY community_id"
        ),
        {"c": community_id},
    )


async def _bulk(
    conn: AsyncConnection, table: Table, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]
) -> None:
    """Insert rows in large batches: COPY on PostgreSQL, executemany on SQLite."""
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await _flush(conn, table, columns, batch)
            batch = []
    if batch:
        await _flush(conn, table, columns, batch)


async def _flush(
    conn: AsyncConnection, table: Table, columns: Sequence[str], batch: list[tuple[Any, ...]]
) -> None:
    if conn.dialect.name == "postgresql":
        raw = await conn.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table.name, records=batch, columns=list(columns)
        )
        return
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"
    await conn.exec_driver_sql(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])


def _sqlite_value(value: Any) -> Any:
    """Store datetimes exactly as SQLAlchemy's SQLite DateTime does."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
