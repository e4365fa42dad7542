"""Upserts whose result nobody reads, sent with the transaction's next statement.

`storage.at_driver.ride` saves PostgreSQL a round trip for a write nobody reads
back: it goes as a WITH clause of the next statement run at the driver (or
alone just before COMMIT), in the same transaction. Both statements run on one
snapshot, so the write must not touch a row the next statement touches; the
callers here write rows nothing later in their transaction reads (the
projector's derived activities, a batch's board sizes). On SQLite it runs now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import at_driver
from storage.sql import raw_upsert, upsert


async def upsert_riding(
    conn: AsyncConnection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: tuple[str, ...],
    set_: str | None,
) -> None:
    """`storage.sql.upsert` of `rows` (same keys each), riding with the next statement."""
    columns = tuple(rows[0])
    count = 0 if len(rows) > 1 and conn.dialect.name == "postgresql" else len(rows)
    raw = raw_upsert(conn.dialect, table, columns, count, conflict, set_, ())
    if raw is None:  # pragma: no cover - both shipped drivers take the raw form
        await upsert(conn, table, rows, conflict=conflict, set_=set_)
        return
    await at_driver.ride(conn, raw.sql, raw.parameters(rows, columns))
