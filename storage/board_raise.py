"""PostgreSQL: raise existing board rows to the better score and read what they held, at once.

The streak board keeps each member's best. Raising a row needs its old score
too (the members per score move from the old to the new), and that read must
lock the row, or a concurrent projector's raise could slip in between. It was
one locked SELECT per season and then the upsert; here one UPDATE takes its
rows from a locked sub-select, which returns each row's score as it was just
before this update (READ COMMITTED re-reads a row another transaction changed
meanwhile), and RETURNING gives old and new together. Rows are locked in key
order, as every other board write does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import at_driver
from storage.board_tables import BoardScoreRow

_S = BoardScoreRow.__table__

_KEYS = (
    "unnest($1::integer[], $2::varchar(16)[], $3::varchar(16)[], $4::integer[],"
    " $5::bigint[], $6::timestamp[]) AS v(community_id, board, season, member_id, score, at)"
)
_RAISE = f"""
UPDATE board_scores AS s
SET score = GREATEST(o.score, v.score), updated_at = GREATEST(o.updated_at, v.at)
FROM (
    SELECT b.community_id, b.board, b.season, b.member_id, b.score, b.updated_at
    FROM board_scores AS b
    JOIN {_KEYS} USING (community_id, board, season, member_id)
    ORDER BY b.community_id, b.board, b.season, b.member_id
    FOR UPDATE OF b
) AS o
JOIN {_KEYS} USING (community_id, board, season, member_id)
WHERE (s.community_id, s.board, s.season, s.member_id)
    = (o.community_id, o.board, o.season, o.member_id)
RETURNING s.community_id, s.board, s.season, s.member_id, o.score AS old, s.score AS new
"""


async def raise_rows(
    conn: AsyncConnection, rows: Sequence[dict[str, Any]]
) -> list[tuple[tuple[Any, ...], int, int]]:
    """Raise each existing row to its `score` if higher: (key, old score, new score) per row."""
    at = _S.c.updated_at.type._cached_bind_processor(conn.dialect)
    ordered = sorted(
        rows, key=lambda r: (r["community_id"], r["board"], r["season"], r["member_id"])
    )
    params = (
        [r["community_id"] for r in ordered],
        [r["board"] for r in ordered],
        [r["season"] for r in ordered],
        [r["member_id"] for r in ordered],
        [r["score"] for r in ordered],
        [r["updated_at"] if at is None else at(r["updated_at"]) for r in ordered],
    )
    result = await at_driver.execute(conn, _RAISE, params)
    return [
        ((r.community_id, r.board, r.season, r.member_id), int(r.old), int(r.new)) for r in result
    ]
