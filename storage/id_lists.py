"""Statements over a list of ids, each engine given the shape it runs cheapest.

An expanding IN is rendered anew for each length of the list, so SQLAlchemy
builds a cache key and SQL on every call. PostgreSQL takes the list as one
array (`= ANY`), one prepared shape whatever the length. SQLite has no
arrays: one id (a reply that mentions its caller, one member's streak) is a
prepared shape of its own, several an expanding IN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.sql import prepare


def in_array(column: Any, name: str) -> Any:
    """PostgreSQL's `column = ANY(:name)`: an IN list bound as one array."""
    return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))


class AnyOf:
    """One statement, `build(condition)`, whose condition is "`column` is one of `name`"."""

    __slots__ = ("_array", "_expanding", "_name", "_one")

    def __init__(self, build: Callable[[Any], Any], column: Any, name: str) -> None:
        self._name = name
        self._array = prepare(build(in_array(column, name)))  # compiled on PostgreSQL only
        self._one = prepare(build(column == bindparam(name)))
        self._expanding = build(column.in_(bindparam(name, expanding=True)))

    async def rows(self, conn: AsyncConnection, params: dict[str, Any]) -> list[Any]:
        """Every returned row, read by column name; `params[name]` is the list of ids."""
        ids = params[self._name]
        if conn.dialect.name == "postgresql":
            return await self._array.rows(conn, params)
        if len(ids) == 1:
            return await self._one.rows(conn, {**params, self._name: ids[0]})
        return list(await conn.execute(self._expanding, params))
