"""Bulk score loading for benchmarks and imports (kept apart from the command path)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from storage.board_counts import count_scores, grow_sizes
from storage.board_tables import BoardScoreCountRow, BoardScoreRow, BoardSizeRow

_S = BoardScoreRow.__table__
_Z = BoardSizeRow.__table__
_C = BoardScoreCountRow.__table__


async def load_scores(
    conn: AsyncConnection,
    community_id: CommunityId,
    board: str,
    season: str,
    scores: Iterable[tuple[MemberId, int]],
    at: datetime,
    batch: int = 5_000,
) -> int:
    """Bulk-insert scores (benchmarks, imports); returns how many rows were written."""
    written = 0
    held: dict[tuple[CommunityId, str, str, int], int] = {}
    chunk: list[dict[str, Any]] = []
    for member_id, score in scores:
        key = (community_id, board, season, score)
        held[key] = held.get(key, 0) + 1
        chunk.append(
            {
                "community_id": community_id,
                "board": board,
                "season": season,
                "member_id": member_id,
                "score": score,
                "updated_at": at,
            }
        )
        if len(chunk) >= batch:
            await conn.execute(_S.insert(), chunk)
            written += len(chunk)
            chunk = []
    if chunk:
        await conn.execute(_S.insert(), chunk)
        written += len(chunk)
    await grow_sizes(conn, {(community_id, board, season): written})
    await count_scores(conn, held)
    return written


async def drop_community_scores(conn: AsyncConnection, community_id: CommunityId) -> None:
    """Remove every score of a community (benchmark clean-up only; seasons are never wiped)."""
    await conn.execute(delete(_S).where(_S.c.community_id == community_id))
    await conn.execute(delete(_Z).where(_Z.c.community_id == community_id))
    await conn.execute(delete(_C).where(_C.c.community_id == community_id))
