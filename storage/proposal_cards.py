"""A proposal card's live edits, kept as pending outbox rows (see `domain.proposals`)."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.proposals.repository import CardEditQueue
from storage.outbox import OutboxRow
from storage.registry import implements

_O = OutboxRow.__table__


@implements(CardEditQueue)
class SqlCardEditQueue:
    """Live card edits as outbox rows, one per proposal and throttle period.

    The card projection queues them (live: rendered when sent, see
    `cogs.proposals.projections`); closing a proposal supersedes them here.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def supersede(self, anchor: str, payload: dict[str, object]) -> int:
        """Drop every still-pending edit of `anchor`: the final card replaces them.

        They used to get the final payload and were then sent as well as the
        final card's own edit: a second, identical edit after the close. One a
        deliverer has claimed (it may be sending it right now) gets the final
        payload instead, so whatever it sends is never a stale tally.
        """
        pending = (_O.c.anchor == anchor, _O.c.target == "edit", _O.c.status == "pending")
        claimed = await self._conn.execute(
            update(_O).where(*pending, _O.c.claimed_by.is_not(None)).values(payload=payload)
        )
        dropped = await self._conn.execute(delete(_O).where(*pending, _O.c.claimed_by.is_(None)))
        return int(claimed.rowcount) + int(dropped.rowcount)
