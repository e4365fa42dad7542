"""A ledger row and the balance it moves in one statement, on PostgreSQL.

`domain.points.posting.post` appends an entry (refused when its key exists)
and then moves the member's cached balance (a debit only if the balance
covers it): two statements, and on PostgreSQL two round trips, in every
check-in, award and both halves of a gift. Here both are one statement: the
insert and the conditional update as data-modifying WITH clauses, the update
depending on the insert's row, and a SELECT saying what happened. The same
rules hold: a replayed key changes nothing, an overdraft changes no balance
(the entry stays appended; the caller rolls back, as before).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from storage import at_driver
from storage.sql import raw_upsert


@lru_cache(maxsize=8)
def _statement(dialect: Dialect, ledger: Table, columns: tuple[str, ...]) -> tuple[str, Any]:
    raw = raw_upsert(dialect, ledger, columns, 1, (), None, ("id",))
    assert raw is not None
    amount, member = f"${len(columns) + 1}", f"${len(columns) + 2}"
    sql = (
        f"WITH entry AS ({raw.sql}), moved AS ("
        f"UPDATE balances SET points = balances.points + {amount}"
        f" WHERE balances.member_id = {member} AND EXISTS (SELECT 1 FROM entry)"
        f" AND balances.points + {amount} >= 0 RETURNING balances.points)"
        " SELECT (SELECT count(*) FROM entry) AS appended, (SELECT points FROM moved) AS balance"
    )
    return sql, raw


async def post_at_once(
    conn: AsyncConnection, ledger: Table, row: dict[str, Any]
) -> tuple[bool, int | None]:
    """Append `row` and move its member's balance by its amount: (appended, new balance).

    Not appended: the key was there, nothing moved. Appended with no balance:
    a debit the balance does not cover (nothing moved).
    """
    columns = tuple(row)
    sql, raw = _statement(conn.dialect, ledger, columns)
    parameters = (*raw.parameters((row,), columns), row["amount"], row["member_id"])
    found = (await at_driver.execute(conn, sql, parameters)).one()
    return bool(found.appended), None if found.balance is None else int(found.balance)
