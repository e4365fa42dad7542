"""`db check` for the boards' shared counts: recounted from the scores they summarise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.board_tables import BoardScoreCountRow, BoardScoreRow, BoardSizeRow

if TYPE_CHECKING:
    from storage.projections import ProjectionMismatch

_S = BoardScoreRow.__table__
_Z = BoardSizeRow.__table__
_C = BoardScoreCountRow.__table__


async def board_mismatches(engine: AsyncEngine) -> list[ProjectionMismatch]:
    """Season sizes and members per score that differ from a count of the scores.

    A rank is a sum over `board_score_counts` and "of N" is `board_sizes`: a
    count gone wrong would misplace every member below it, so both are proved
    here against `board_scores` (the rows the boards projection writes).
    """
    from storage.projections import ProjectionMismatch

    season = (_S.c.community_id, _S.c.board, _S.c.season)
    async with engine.connect() as conn:
        per_score = {
            (int(r[0]), r[1], r[2], int(r[3])): int(r[4])
            for r in await conn.execute(
                select(*season, _S.c.score, func.count()).group_by(*season, _S.c.score)
            )
        }
        counted = {
            (int(r[0]), r[1], r[2], int(r[3])): int(r[4])
            for r in await conn.execute(
                select(_C.c.community_id, _C.c.board, _C.c.season, _C.c.score, _C.c.members)
            )
            if r[4]
        }
        per_season = {
            (int(r[0]), r[1], r[2]): int(r[3])
            for r in await conn.execute(select(*season, func.count()).group_by(*season))
        }
        sizes = {
            (int(r[0]), r[1], r[2]): int(r[3])
            for r in await conn.execute(
                select(_Z.c.community_id, _Z.c.board, _Z.c.season, _Z.c.members)
            )
            if r[3]
        }
    out = [
        ProjectionMismatch(
            f"board {k[1]} {k[2]} members scoring {k[3]} (community {k[0]})",
            0,
            counted.get(k, 0),
            per_score.get(k, 0),
        )
        for k in sorted(set(per_score) | set(counted))
        if counted.get(k, 0) != per_score.get(k, 0)
    ]
    out += [
        ProjectionMismatch(
            f"board {k[1]} {k[2]} size (community {k[0]})", 0, sizes.get(k, 0), per_season.get(k, 0)
        )
        for k in sorted(set(per_season) | set(sizes))
        if sizes.get(k, 0) != per_season.get(k, 0)
    ]
    return out
