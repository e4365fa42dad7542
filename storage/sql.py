"""Small statement helpers shared by repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert_ignore(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted.

    The database, not Python, decides whether a key is new, so two concurrent
    attempts with one key insert exactly once.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported engines
        raise NotImplementedError(dialect)
    result = await conn.execute(stmt)
    return result.rowcount == 1
