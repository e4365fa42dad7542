"""Bulk score loading for benchmarks and imports (kept apart from the command path)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.ids import CommunityId, MemberId
from storage.leaderboards import _S, _Z, _grow


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
    chunk: list[dict[str, Any]] = []
    for member_id, score in scores:
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
    await _grow(conn, community_id, board, [season], [written])
    return written


async def drop_community_scores(conn: AsyncConnection, community_id: CommunityId) -> None:
    """Remove every score of a community (benchmark clean-up only; seasons are never wiped)."""
    await conn.execute(delete(_S).where(_S.c.community_id == community_id))
    await conn.execute(delete(_Z).where(_Z.c.community_id == community_id))
