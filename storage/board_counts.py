"""The boards' shared counts: members per season and members per score.

Every member's move touches these few rows, so writers hold their changes
back to just before COMMIT and write them in key order
(`SqlBoardRepository.before_commit`); bulk loading and merges use the same
statements.
"""

from __future__ import annotations

from sqlalchemy import delete, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId
from storage.board_tables import BoardScoreCountRow, BoardSizeRow
from storage.sql import upsert, upsert_parts

_Z = BoardSizeRow.__table__
_C = BoardScoreCountRow.__table__


async def grow_sizes(conn: AsyncConnection, grown: dict[tuple[CommunityId, str, str], int]) -> None:
    """Add `grown[(community, board, season)]` members to each season's size.

    One statement for every board and season, in key order, sent with the
    transaction's next statement (`at_driver.ride`): every writer calls it just
    before `count_scores`, and nothing after reads the sizes in its transaction.
    """
    rows = [
        {"community_id": c, "board": b, "season": s, "members": n}
        for (c, b, s), n in sorted(grown.items())
        if n
    ]
    if rows:
        await upsert(
            conn,
            _Z,
            rows,
            conflict=("community_id", "board", "season"),
            set_="members = board_sizes.members + excluded.members",
            ride=True,
        )


async def count_scores(
    conn: AsyncConnection, moved: dict[tuple[CommunityId, str, str, int], int]
) -> None:
    """Add `moved[(community, board, season, score)]` members to each score's count.

    Keys go in order, so concurrent writers lock the shared rows in one order.
    A score nobody holds any more loses its row (else every score ever held
    would stay in the sums); only rows this transaction already locked are
    deleted, so the delete waits for nobody.
    """
    rows = [
        {"community_id": c, "board": b, "season": s, "score": score, "members": n}
        for (c, b, s, score), n in sorted(moved.items())
        if n
    ]
    for part in upsert_parts(conn, rows):
        await upsert(
            conn,
            _C,
            part,
            conflict=("community_id", "board", "season", "score"),
            set_="members = board_score_counts.members + excluded.members",
        )
    emptied = [key for key, n in moved.items() if n < 0]
    if emptied:
        columns = (_C.c.community_id, _C.c.board, _C.c.season, _C.c.score)
        await conn.execute(delete(_C).where(_C.c.members == 0, tuple_(*columns).in_(emptied)))
