"""A proposal card's live edits, kept as pending outbox rows (see `domain.proposals`)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.proposals.repository import CardEditQueue
from storage.outbox import OutboxRow
from storage.registry import implements

_O = OutboxRow.__table__


@implements(CardEditQueue)
class SqlCardEditQueue:
    """Live card edits as outbox rows, one per proposal and throttle period.

    The first vote of a period adds the edit through the outbox repository;
    later votes of the period replace its payload while it is still pending,
    so the edit sent when the period ends shows the latest tally.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def replace_pending(self, dedupe_key: str, payload: dict[str, object]) -> bool:
        result = await self._conn.execute(
            update(_O)
            .where(_O.c.dedupe_key == dedupe_key, _O.c.status == "pending")
            .values(payload=payload)
        )
        return result.rowcount == 1

    async def supersede(self, anchor: str, payload: dict[str, object]) -> int:
        result = await self._conn.execute(
            update(_O)
            .where(_O.c.anchor == anchor, _O.c.target == "edit", _O.c.status == "pending")
            .values(payload=payload)
        )
        return int(result.rowcount)
