"""Small statement helpers shared by repositories."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause


async def insert_ignore(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted.

    The database, not Python, decides whether a key is new, so two concurrent
    attempts with one key insert exactly once.
    """
    if conn.dialect.name not in ("postgresql", "sqlite"):  # pragma: no cover
        raise NotImplementedError(conn.dialect.name)
    stmt = _insert_ignore(conn.dialect, table, tuple(values))
    result = await conn.execute(stmt, values)
    return result.rowcount == 1


@lru_cache(maxsize=256)
def _insert_ignore(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> TextClause:
    """One statement per (table, columns), built once.

    SQLAlchemy cannot cache the compiled form of the dialects' `on_conflict_do_nothing()`
    (it has no cache key), so that construct was compiled again on every call — a
    profile of the benchmark's /checkin showed it as the largest single cost. The
    same SQL as a typed text statement is compiled once. Both engines spell it alike.
    """
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(f":{c}" for c in columns)
    stmt = text(
        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks}) ON CONFLICT DO NOTHING"
    )
    return stmt.bindparams(*(bindparam(c, type_=table.c[c].type) for c in columns))
