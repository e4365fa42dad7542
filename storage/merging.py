"""The row moves behind linking: two communities into one (members: `storage.member_merge`).

The rules are stated in `domain.linking.service`. Tables are found in the
shared metadata by name and by their `community_id` / `member_id` columns, so
a feature added later is moved too: its rows follow the community, and a
member's rows follow the member unless the survivor already has the same
once-per-member fact (then the absorbed member keeps it, as history). The
tables below with their own rule are the ones where adding up or choosing is
what a member expects (balances move by ledger entries in the domain service).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, String, Table, and_, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import BigInteger

from storage.base import Base
from storage.sql import insert_ignore

# History that stays with the member who made it (their balance is moved by ledger entries).
# The activity log too: it says who acted at the time, and the merge is logged after
# those activities (`MembersMerged`), so a rebuild credits them where the merge did.
MEMBER_HISTORY = {"ledger", "ledger_expiries", "balances", "outbox", "member_links", "link_codes"}
MEMBER_HISTORY |= {"activity_log"}


def table_named(name: str) -> Table | None:
    """Find a table of the shared metadata by name; None if no feature declares it."""
    return Base.metadata.tables.get(name)


def _keys(table: Table) -> list[tuple[str, ...]]:
    """The column sets the database keeps unique: primary key, unique indexes and constraints."""
    keys = [tuple(c.name for c in table.primary_key.columns)]
    keys += [tuple(c.name for c in i.columns) for i in table.indexes if i.unique]
    for constraint in table.constraints:
        cols = getattr(constraint, "columns", None)
        if type(constraint).__name__ == "UniqueConstraint" and cols is not None:
            keys.append(tuple(c.name for c in cols))
    return [k for k in keys if k]


async def move(conn: AsyncConnection, table: Table, column: str, old: int, new: int) -> int:
    """Re-point rows from `old` to `new` where no unique key would collide; how many moved."""
    keys = [k for k in _keys(table) if column in k]
    col = table.c[column]
    if not keys:
        return int(
            (await conn.execute(update(table).where(col == old).values({column: new}))).rowcount
        )
    pk_cols = list(table.primary_key.columns)
    olds = (await conn.execute(select(table).where(col == old))).mappings().all()
    if not olds:
        return 0
    taken: list[set[tuple[Any, ...]]] = []
    for key in keys:
        others = [c for c in key if c != column]
        if not others:  # one row per member: the survivor's wins
            found = await conn.execute(select(func.count()).select_from(table).where(col == new))
            taken.append({()} if found.scalar() else set())
            continue
        rows = await conn.execute(select(*[table.c[c] for c in others]).where(col == new))
        taken.append({tuple(r) for r in rows})
    moved = 0
    for row in olds:
        if any(
            tuple(row[c] for c in key if c != column) in seen
            for key, seen in zip(keys, taken, strict=True)
        ):
            continue
        where = and_(*[c == row[c.name] for c in pk_cols])
        await conn.execute(update(table).where(where).values({column: new}))
        for key, seen in zip(keys, taken, strict=True):
            seen.add(tuple(row[c] for c in key if c != column))
        moved += 1
    return moved


# -- communities -------------------------------------------------------------------------------


def _integer(column: Any) -> bool:
    return isinstance(column.type, (Integer, BigInteger))


async def merge_communities(conn: AsyncConnection, keeper: int, absorbed: int) -> int:
    """Move every row of `absorbed` to `keeper`; the number of renamed keys.

    A unique key of (community, one text column) both sides used is renamed on
    the absorbed side ("c7:" + key) so both rows stay. A per-community row both
    have whose other columns are counts (board sizes, achievement holders) is
    added into the keeper's.
    """
    renamed = 0
    for table in Base.metadata.sorted_tables:
        if "community_id" not in table.c or table.name == "communities":
            continue
        cid = table.c.community_id
        for key in _keys(table):
            if "community_id" not in key or len(key) < 2:
                continue
            others = [table.c[c] for c in key if c != "community_id"]
            rest = [c for c in table.c if c.name not in key]
            if rest and all(_integer(c) for c in rest):
                # Only counts beside the key (board sizes, achievement holders): add up.
                await _add_counts(conn, table, key, keeper, absorbed)
            elif len(others) == 1 and isinstance(others[0].type, String):
                # A fact keyed per community (an idempotency key, a rotation): keep both.
                col = others[0]
                theirs = select(col).where(cid == keeper).scalar_subquery()
                result = await conn.execute(
                    update(table)
                    .where(cid == absorbed, col.in_(theirs))
                    .values({col.name: literal(f"c{absorbed}:") + col})
                )
                renamed += int(result.rowcount or 0)
        await conn.execute(update(table).where(cid == absorbed).values(community_id=keeper))
    communities = table_named("communities")
    assert communities is not None
    await conn.execute(delete(communities).where(communities.c.id == absorbed))
    return renamed


async def _add_counts(
    conn: AsyncConnection, table: Table, key: Sequence[str], keeper: int, absorbed: int
) -> None:
    """For rows both communities have under `key`, add the absorbed counts into the keeper's."""
    others = [c for c in key if c != "community_id"]
    counts = [c.name for c in table.c if c.name not in key]
    rows = (await conn.execute(select(table).where(table.c.community_id == absorbed))).mappings()
    for row in list(rows):
        match = and_(table.c.community_id == keeper, *[table.c[c] == row[c] for c in others])
        exists = (await conn.execute(select(func.count()).select_from(table).where(match))).scalar()
        if not exists:
            continue
        await conn.execute(
            update(table).where(match).values({c: table.c[c] + row[c] for c in counts})
        )
        await conn.execute(
            delete(table).where(
                table.c.community_id == absorbed, *[table.c[c] == row[c] for c in others]
            )
        )


async def per_member_rows(conn: AsyncConnection, community_id: int, member_id: int) -> None:
    """The rows some features update in place and expect to exist (balance, streak)."""
    for name in ("balances", "streaks"):
        table = table_named(name)
        if table is not None:
            await insert_ignore(conn, table, {"member_id": member_id, "community_id": community_id})
