"""Statements run as the driver's own SQL (`storage.sql`: upserts, insert-ignores,
prepared statements) store what SQLAlchemy would have stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import JSON, Column, Integer, Table, bindparam, select, update

from storage.engine import Database
from storage.sql import chunks, insert_ignore, prepare, upsert, upsert_parts
from storage.types import UTCDateTime
from tests.support.scratch import scratch_table

WHEN = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)


@pytest.fixture
async def scratch(database_url: str) -> AsyncIterator[tuple[Database, Table]]:
    extra = (
        Column("score", Integer, nullable=False),
        Column("seen_at", UTCDateTime(), nullable=False),
        Column("extra", JSON()),
    )
    async with scratch_table(database_url, *extra) as made:
        yield made


def _row(n: int) -> dict[str, object]:
    return {
        "id": n,
        "name": f"member {n}",
        "score": n,
        "seen_at": WHEN + timedelta(minutes=n),
        "extra": {"n": n, "tags": ["a", "b"]},
    }


async def test_multi_row_upserts_store_typed_values_and_return_plain_columns(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    rows = [_row(n) for n in range(1, 138)]  # 128 + 8 + 1
    async with db.writer.begin() as conn:
        inserted = []
        for part in chunks(rows):
            result = await upsert(conn, table, part, conflict=("id",), set_=None, returning=("id",))
            inserted += [r.id for r in result]
    assert sorted(inserted) == list(range(1, 138))
    # Again with a score move: DO UPDATE adds, RETURNING hands back the sums.
    async with db.writer.begin() as conn:
        result = await upsert(
            conn,
            table,
            [{**_row(n), "score": 100} for n in (5, 6)],
            conflict=("id",),
            set_=f"score = {table.name}.score + excluded.score",
            returning=("id", "score"),
        )
        assert sorted((r.id, r.score) for r in result) == [(5, 105), (6, 106)]
    async with db.reader.connect() as conn:
        stored = {r.id: r for r in await conn.execute(select(table))}
    assert len(stored) == 137
    assert stored[7].seen_at == WHEN + timedelta(minutes=7)  # aware UTC, as written
    assert stored[7].extra == {"n": 7, "tags": ["a", "b"]}
    assert stored[5].score == 105 and stored[7].score == 7


async def test_typed_returning_columns_come_back_typed(scratch: tuple[Database, Table]) -> None:
    db, table = scratch
    async with db.writer.begin() as conn:
        result = await upsert(
            conn, table, [_row(1)], conflict=("id",), set_=None, returning=("seen_at",)
        )
        assert [r.seen_at for r in result] == [WHEN + timedelta(minutes=1)]


async def test_insert_ignore_inserts_a_key_once(scratch: tuple[Database, Table]) -> None:
    db, table = scratch
    async with db.writer.begin() as conn:
        assert await insert_ignore(conn, table, _row(9)) is True
        assert await insert_ignore(conn, table, {**_row(9), "name": "twice"}) is False
    async with db.reader.connect() as conn:
        names = (await conn.execute(select(table.c.name))).scalars().all()
    assert names == ["member 9"]


async def test_a_prepared_update_binds_typed_values_and_returns_plain_columns(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    bump = prepare(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(score=table.c.score + bindparam("b_by"), seen_at=bindparam("b_at"))
        .returning(table.c.score)
    )
    async with db.writer.begin() as conn:
        await insert_ignore(conn, table, _row(3))
        later = WHEN + timedelta(days=2)
        result = await bump.run(conn, {"b_id": 3, "b_by": 10, "b_at": later})
        assert result.scalar_one() == 13
        with pytest.raises(KeyError, match="b_by"):
            await bump.run(conn, {"b_id": 3, "b_at": later})
    async with db.reader.connect() as conn:
        row = (await conn.execute(select(table).where(table.c.id == 3))).one()
    assert (row.score, row.seen_at) == (13, WHEN + timedelta(days=2))


async def test_a_statement_returning_typed_columns_is_refused(
    scratch: tuple[Database, Table],
) -> None:
    db, table = scratch
    when = prepare(select(table.c.seen_at).where(table.c.id == bindparam("b_id")))
    async with db.reader.connect() as conn:
        with pytest.raises(TypeError, match="result processing"):
            await when.run(conn, {"b_id": 1})


async def test_prepared_rows_read_every_column_as_a_core_select_would(
    scratch: tuple[Database, Table],
) -> None:
    """Typed columns (UTC datetimes, JSON) come back processed; rows read by name."""
    db, table = scratch
    both = (table.c.id >= bindparam("b_low"),)
    core = select(table, (table.c.score * 2).label("double")).where(*both).order_by(table.c.id)
    prepared = prepare(core)
    async with db.writer.begin() as conn:
        for n in (4, 5):
            await insert_ignore(conn, table, _row(n))
    async with db.reader.connect() as conn:
        expected = (await conn.execute(core, {"b_low": 4})).all()
        got = await prepared.rows(conn, {"b_low": 4})
        assert [tuple(r) for r in got] == [tuple(r) for r in expected]
        first = await prepared.first(conn, {"b_low": 5})
        assert first is not None
        assert (first.id, first.seen_at, first.extra["tags"], first.double) == (
            5,
            WHEN + timedelta(minutes=5),
            ["a", "b"],
            10,
        )
        assert first.seen_at.tzinfo is not None
        assert await prepared.first(conn, {"b_low": 6}) is None
        with pytest.raises(TypeError, match="result processing"):
            await prepared.run(conn, {"b_low": 4})  # run() would hand back raw values


async def test_any_number_of_rows_is_one_part_where_upsert_takes_arrays(
    scratch: tuple[Database, Table], engine_name: str
) -> None:
    """PostgreSQL writes a projector's batch to a table in one statement (arrays); SQLite
    in powers of two. Either way every typed value is stored as written, updates add."""
    db, table = scratch
    rows = [_row(n) for n in range(1, 38)]  # 32 + 4 + 1 on SQLite
    async with db.writer.begin() as conn:
        parts = list(upsert_parts(conn, rows))
        assert [len(p) for p in parts] == ([37] if engine_name == "postgresql" else [32, 4, 1])
        for part in parts:
            await upsert(conn, table, part, conflict=("id",), set_=None)
        moved = []
        for part in upsert_parts(conn, [{**_row(n), "score": 100, "extra": None} for n in (2, 3)]):
            result = await upsert(
                conn,
                table,
                part,
                conflict=("id",),
                set_=f"score = {table.name}.score + excluded.score, extra = excluded.extra",
                returning=("id", "score"),
            )
            moved += [(r.id, r.score) for r in result]
        assert sorted(moved) == [(2, 102), (3, 103)]
        assert list(upsert_parts(conn, [])) == []
    async with db.reader.connect() as conn:
        stored = {r.id: r for r in await conn.execute(select(table))}
    assert sorted(stored) == list(range(1, 38))
    assert stored[37].seen_at == WHEN + timedelta(minutes=37)
    assert stored[37].extra == {"n": 37, "tags": ["a", "b"]} and stored[2].extra is None
    assert (stored[2].score, stored[37].score, stored[37].name) == (102, 37, "member 37")


async def test_an_upsert_returning_typed_columns_refuses_a_part_too_large(
    scratch: tuple[Database, Table],
) -> None:
    """Typed RETURNING binds value by value; more than `chunks` gives is refused, not sent."""
    db, table = scratch
    async with db.writer.begin() as conn:
        with pytest.raises(ValueError, match="at most 128"):
            await upsert(
                conn,
                table,
                [_row(n) for n in range(1, 130)],
                conflict=("id",),
                set_=None,
                returning=("seen_at",),
            )
