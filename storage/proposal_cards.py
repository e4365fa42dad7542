"""A proposal card's live edits, kept as pending outbox rows (see `domain.proposals`)."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.proposals.repository import CardEditQueue
from storage.outbox import OutboxRow
from storage.registry import implements
from storage.sql import prepare

_O = OutboxRow.__table__
_CARD_LOCK = 7_312  # pg_advisory_xact_lock namespace: a proposal card's writers
# Every vote within a throttle period replaces the pending edit: prepared once.
_REPLACE = prepare(
    update(_O)
    .where(_O.c.dedupe_key == bindparam("b_key"), _O.c.status == "pending")
    .values(payload=bindparam("b_payload", type_=_O.c.payload.type))
)


@implements(CardEditQueue)
class SqlCardEditQueue:
    """Live card edits as outbox rows, one per proposal and throttle period.

    The first vote of a period adds the edit through the outbox repository;
    later votes of the period replace its payload while it is still pending,
    so the edit sent when the period ends shows the latest tally.
    """

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def hold(self, proposal_id: int) -> None:
        # SQLite: writes already go one at a time through the single writer. Not
        # the proposal's row lock on PostgreSQL: voters take that one, and a
        # projector batch holding it would make them wait for the whole batch.
        if self._conn.dialect.name == "postgresql":
            await self._conn.execute(
                text("SELECT pg_advisory_xact_lock(:ns, :proposal)"),
                {"ns": _CARD_LOCK, "proposal": int(proposal_id)},
            )

    async def replace_pending(self, dedupe_key: str, payload: dict[str, object]) -> bool:
        result = await _REPLACE.run(self._conn, {"b_key": dedupe_key, "b_payload": payload})
        return result.rowcount == 1

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
