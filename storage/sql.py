"""Small statement helpers shared by repositories."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

from storage import at_driver

T = TypeVar("T")


def chunks(rows: Sequence[T], most: int = 128) -> Iterator[Sequence[T]]:
    """Split rows for multi-row statements into chunks whose sizes are powers of two.

    Each row count is a different statement, built and cached (`_upsert`), and
    on PostgreSQL prepared on every connection; with any count from 1 to 200
    those caches held hundreds of statements of thousands of parameters (peak
    RSS 700 MB in the bench). Powers of two up to `most` keep it to eight shapes
    per table, at the price of a few more statements (137 rows = 128 + 8 + 1).
    PostgreSQL's upserts take arrays instead (`upsert_parts`); IN lists and
    SQLite's upserts still come in these chunks.
    """
    start = 0
    while start < len(rows):
        left = len(rows) - start
        size = most if left >= most else 1 << (left.bit_length() - 1)
        yield rows[start : start + size]
        start += size


async def insert_ignore(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted.

    The database, not Python, decides whether a key is new, so two concurrent
    attempts with one key insert exactly once.
    """
    if conn.dialect.name not in ("postgresql", "sqlite"):  # pragma: no cover
        raise NotImplementedError(conn.dialect.name)
    columns = tuple(values)
    raw = raw_upsert(conn.dialect, table, columns, 1, (), None, ())
    if raw is not None:  # the same statement, at the driver (see `_Raw`)
        result = await at_driver.execute(conn, raw.sql, raw.parameters((values,), columns))
    else:  # pragma: no cover - neither of the shipped drivers
        result = await conn.execute(_insert_ignore(conn.dialect, table, columns), values)
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


async def upsert(
    conn: AsyncConnection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    conflict: tuple[str, ...],
    set_: str | None,
    returning: tuple[str, ...] = (),
    ride: bool = False,
) -> Any:
    """INSERT … ON CONFLICT (conflict) DO UPDATE SET `set_` for one or more rows.

    `set_` is the SQL of the assignments, naming the current row by the table's
    name and the proposed one as `excluded` (both engines spell it alike), for
    example "value = member_counters.value + excluded.value". Every row must
    have the same keys. The statement is built once per shape, for the same
    reason as `insert_ignore`: the dialects' `on_conflict_do_update()` has no
    cache key, so SQLAlchemy compiled it again on every call. `set_=None`
    means DO NOTHING (with `returning`, only the inserted rows come back).
    Returns the result; with `ride` (nothing returned, nothing read back) the
    write goes with the transaction's next statement (`at_driver.ride`).
    """
    if conn.dialect.name not in ("postgresql", "sqlite"):  # pragma: no cover
        raise NotImplementedError(conn.dialect.name)
    columns = tuple(rows[0])
    # PostgreSQL takes several rows as arrays, one statement of any length (count 0).
    count = 0 if len(rows) > 1 and conn.dialect.name == "postgresql" else len(rows)
    raw = raw_upsert(conn.dialect, table, columns, count, conflict, set_, returning)
    if raw is not None:
        if ride and not returning:
            return await at_driver.ride(conn, raw.sql, raw.parameters(rows, columns))
        return await at_driver.execute(conn, raw.sql, raw.parameters(rows, columns))
    if len(rows) > 128:  # typed RETURNING: one bound parameter per value, so keep it small
        raise ValueError("an upsert returning typed columns takes at most 128 rows (`chunks`)")
    stmt = _upsert(conn.dialect, table, columns, len(rows), conflict, set_, returning)
    if len(rows) == 1:
        params = rows[0]
    else:
        params = {f"{c}_{i}": row[c] for i, row in enumerate(rows) for c in columns}
    return await conn.execute(stmt, params)


class _Raw:
    """An upsert as the driver's own SQL, with the columns' bind processors.

    A multi-row upsert built as a SQLAlchemy text statement binds `rows × columns`
    named parameters, and every execution generated a cache key over all of them,
    looked the statement up, and built and processed each parameter by name: in
    the projector (`benchmarks.projection_cost`, sampled) that was a quarter of
    its time. These statements never change and their SQL is fixed per shape, so
    the SQL is rendered once with the driver's positional markers and executed
    with `exec_driver_sql`; each value still goes through its column type's bind
    processor (UTC datetimes, JSON), so what is stored is exactly what SQLAlchemy
    would have stored.
    """

    __slots__ = ("processors", "sql")

    def __init__(self, sql: str, processors: tuple[Callable[[Any], Any] | None, ...]) -> None:
        self.sql = sql
        self.processors = processors

    def parameters(
        self, rows: Sequence[dict[str, Any]], columns: tuple[str, ...]
    ) -> tuple[Any, ...]:
        out: list[Any] = []
        pairs = tuple(zip(columns, self.processors, strict=True))
        for row in rows:
            for column, process in pairs:
                value = row[column]
                out.append(value if process is None or value is None else process(value))
        return tuple(out)


class _Arrays(_Raw):
    """PostgreSQL: rows as one array a column, for `INSERT … SELECT * FROM unnest(…)`.

    Row counts made a statement shape each (hence `chunks`' powers of two, and a
    batch of 37 rows took three statements); as arrays, any number of rows is
    one statement, one prepared shape per table, so a projector's batch writes
    each table once.
    """

    __slots__ = ()

    def parameters(
        self, rows: Sequence[dict[str, Any]], columns: tuple[str, ...]
    ) -> tuple[Any, ...]:
        return tuple(
            [v if process is None or v is None else process(v) for v in (r[c] for r in rows)]
            for c, process in zip(columns, self.processors, strict=True)
        )


def upsert_parts(conn: AsyncConnection, rows: Sequence[T]) -> Iterator[Sequence[T]]:
    """The parts in which to hand `rows` to `upsert`: all at once where it takes arrays.

    For upserts whose returned columns need no processing (integers, text): one
    returning typed columns is bound value by value and takes `chunks` instead.
    """
    if conn.dialect.name == "postgresql":
        if rows:
            yield rows
        return
    yield from chunks(rows)


def _markers(dialect: Dialect) -> Callable[[int], str] | None:
    if dialect.paramstyle == "qmark":
        return lambda _n: "?"
    if dialect.paramstyle == "numeric_dollar":
        return lambda n: f"${n}"
    return None  # pragma: no cover - neither of the shipped drivers


@lru_cache(maxsize=256)
def raw_upsert(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    count: int,
    conflict: tuple[str, ...],
    set_: str | None,
    returning: tuple[str, ...],
) -> _Raw | None:
    """The driver-level form of `_upsert`, or None where rows come back typed.

    Returned rows skip SQLAlchemy's result processing, so only statements whose
    returned columns need none (integers, text) take this path. `storage.ledger_post`
    builds on its SQL.
    """
    marker = _markers(dialect)
    if marker is None:  # pragma: no cover
        return None
    for name in returning:  # SQLAlchemy's own per-dialect processor caches, as it uses them
        column = table.c[name]
        if column.type._cached_result_processor(dialect, None) is not None:
            return None
    processors = tuple(table.c[c].type._cached_bind_processor(dialect) for c in columns)
    if count == 0:  # PostgreSQL's arrays (`_Arrays`)
        types = (table.c[c].type.compile(dialect=dialect) for c in columns)
        arrays = ", ".join(f"{marker(i + 1)}::{t}[]" for i, t in enumerate(types))
        source = f"SELECT * FROM unnest({arrays})"
        sql = _upsert_sql(dialect, table, columns, source, conflict, set_, returning)
        return _Arrays(sql, processors)
    width = len(columns)
    marks = [[marker(r * width + i + 1) for i in range(width)] for r in range(count)]
    sql = _upsert_sql(dialect, table, columns, _values(marks), conflict, set_, returning)
    return _Raw(sql, processors)


@lru_cache(maxsize=256)
def _upsert(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    count: int,
    conflict: tuple[str, ...],
    set_: str | None,
    returning: tuple[str, ...],
) -> Any:
    # One row binds :column; several bind :column_<row>.
    marks = [list(columns)] if count == 1 else [[f"{c}_{i}" for c in columns] for i in range(count)]
    named = [[f":{m}" for m in row] for row in marks]
    sql = _upsert_sql(dialect, table, columns, _values(named), conflict, set_, returning)
    stmt = text(sql).bindparams(
        *(
            bindparam(m, type_=table.c[c].type)
            for row in marks
            for m, c in zip(row, columns, strict=True)
        )
    )
    if returning:
        return stmt.columns(*(table.c[c] for c in returning))
    return stmt


def _values(rows: list[list[str]]) -> str:
    return "VALUES " + ", ".join("(" + ", ".join(row) + ")" for row in rows)


def _upsert_sql(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    source: str,
    conflict: tuple[str, ...],
    set_: str | None,
    returning: tuple[str, ...],
) -> str:
    """INSERT … `source` (VALUES or a SELECT) ON CONFLICT …, spelled alike by both engines."""
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) {source}"
        + " ON CONFLICT"
        + (f" ({', '.join(quote(c) for c in conflict)})" if conflict else "")
        + (" DO NOTHING" if set_ is None else f" DO UPDATE SET {set_}")
    )
    if returning:
        sql += " RETURNING " + ", ".join(quote(c) for c in returning)
    return sql


_NEEDED = object()  # a bind parameter the caller must give


class _Shape:
    """A prepared statement as one dialect runs it: SQL, parameters, returned columns."""

    __slots__ = ("binds", "make_row", "processors", "sql")

    def __init__(
        self,
        sql: str,
        binds: tuple[tuple[str, Any, Any], ...],
        processors: tuple[Callable[[Any], Any] | None, ...],
        make_row: Callable[..., Any],
    ) -> None:
        self.sql = sql
        self.binds = binds
        self.processors = processors
        self.make_row = make_row


class Prepared:
    """A fixed Core statement, compiled once per dialect and run as the driver's own SQL.

    For the hottest statements of the command path (a check-in's streak update,
    the ledger's credit, the caller's member row): SQLAlchemy generates a cache
    key for a Core statement on every execution, looks it up, builds its
    parameters by name and wraps each returned row, about as much Python as the
    rest of the statement. Compiled here once per dialect, the statement keeps
    SQLAlchemy's SQL, bind processors and result processors, so what is stored
    and read is the same. `run` returns the driver's result for statements whose
    columns need no processing (integers, text: it refuses the others);
    `rows`/`first` return named tuples with every column processed (datetimes).
    """

    __slots__ = ("_by_dialect", "_statement")

    def __init__(self, statement: Any) -> None:
        self._statement = statement
        self._by_dialect: dict[str, _Shape] = {}

    def _compiled(self, dialect: Dialect) -> _Shape:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled = self._statement.compile(dialect=dialect)
            if not compiled.positional or compiled.positiontup is None:  # pragma: no cover
                raise TypeError("prepared statements need a positional driver")
            if compiled.post_compile_params:  # an expanding IN: rendered per execution
                raise TypeError("prepared statements cannot expand IN lists")
            columns = compiled._result_columns or ()  # SQLAlchemy's, as it reads them
            processors = tuple(
                None if c[3] is None else c[3]._cached_result_processor(dialect, None)
                for c in columns
            )
            # A named tuple reads by name as fast as a tuple; its fields are the statement's.
            names = [c[0] for c in columns]
            row_type = namedtuple("Row", names, rename=True)  # type: ignore[misc]  # dynamic fields
            make_row = row_type._make
            processors_ = compiled._bind_processors
            binds = compiled.binds
            order = tuple(
                (
                    name,
                    processors_.get(name),
                    _NEEDED if binds[name].required else binds[name].value,
                )
                for name in compiled.positiontup
            )
            found = _Shape(compiled.string, order, processors, make_row)
            self._by_dialect[dialect.name] = found
        return found

    def _bound(self, shape: _Shape, params: dict[str, Any]) -> tuple[Any, ...]:
        values = []
        for name, process, default in shape.binds:
            value = params.get(name, default)
            if value is _NEEDED:
                raise KeyError(f"missing parameter {name!r}")
            values.append(value if process is None or value is None else process(value))
        return tuple(values)

    async def _execute(self, conn: AsyncConnection, shape: _Shape, params: dict[str, Any]) -> Any:
        return await at_driver.execute(conn, shape.sql, self._bound(shape, params))

    async def ride(self, conn: AsyncConnection, params: dict[str, Any]) -> None:
        """A write nobody reads, sent with the transaction's next statement (`at_driver.ride`)."""
        shape = self._compiled(conn.dialect)
        await at_driver.ride(conn, shape.sql, self._bound(shape, params))

    async def run(self, conn: AsyncConnection, params: dict[str, Any]) -> Any:
        """Execute with `params` (by bind name; a missing one takes its statement value)."""
        shape = self._compiled(conn.dialect)
        if any(p is not None for p in shape.processors):
            raise TypeError("returned columns need result processing: use rows() or first()")
        return await self._execute(conn, shape, params)

    async def rows(self, conn: AsyncConnection, params: dict[str, Any]) -> list[Any]:
        """Every returned row as a named tuple, each column processed as SQLAlchemy would."""
        shape = self._compiled(conn.dialect)
        raw = (await self._execute(conn, shape, params)).fetchall()
        pairs = tuple(enumerate(shape.processors))
        make = shape.make_row
        if not any(p is not None for _, p in pairs):
            return [make(r) for r in raw]
        return [
            make([r[i] if p is None or r[i] is None else p(r[i]) for i, p in pairs]) for r in raw
        ]

    async def first(self, conn: AsyncConnection, params: dict[str, Any]) -> Any | None:
        """The first returned row (see `rows`), or None."""
        found = await self.rows(conn, params)
        return found[0] if found else None


def prepare(statement: Any) -> Prepared:
    """See `Prepared`."""
    return Prepared(statement)
