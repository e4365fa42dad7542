"""A table of a test's own, created for it and dropped after, on the test's engine."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Column, Integer, MetaData, String, Table, select

from storage.engine import Database, create_database


@asynccontextmanager
async def scratch_table(
    database_url: str, *extra: Column[object]
) -> AsyncIterator[tuple[Database, Table]]:
    """A fresh database handle and a table `scratch_…` (id, name, then `extra` columns)."""
    db = create_database(database_url, pool_size=2)
    table = Table(
        f"scratch_{uuid.uuid4().hex[:8]}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(40), nullable=False),
        *extra,
    )
    async with db.writer.begin() as conn:
        await conn.run_sync(table.metadata.create_all)
    try:
        yield db, table
    finally:
        async with db.writer.begin() as conn:
            await conn.run_sync(table.metadata.drop_all)
        await db.dispose()


async def scratch_names(db: Database, table: Table) -> list[str]:
    """The names a scratch table holds, sorted, as another connection sees them."""
    async with db.reader.connect() as conn:
        return sorted((await conn.execute(select(table.c.name))).scalars())
