"""The ledger's one write: an entry and its balance move together, with its activity.

Shared by the service (earn, spend, give, moderators' adjustments) and escrow,
so the invariant lives in one place.
"""

from __future__ import annotations

from domain.core.errors import AlreadyAppliedError
from domain.core.uow import UnitOfWork
from domain.points.activities import PointsCredited, PointsDebited
from domain.points.model import EntryKind, NewEntry
from domain.points.repository import LedgerRepository


class OverdrawnError(Exception):
    """A debit larger than the balance; each caller words its own refusal."""

    def __init__(self, balance: int) -> None:
        super().__init__(balance)
        self.balance = balance


async def post(uow: UnitOfWork, entry: NewEntry) -> int:
    """Append `entry` and move the cached balance by its signed amount, together.

    This is the ledger's one invariant in one place: the row and the balance
    change in the same transaction, a replayed key changes neither, and a debit
    is a conditional update the database refuses when it would overdraw. The
    activity leaderboards and quests listen to is recorded here too (gifts
    publish `points_gifted` instead of a debit).

    Raises:
        AlreadyAppliedError: the entry's key was applied before; nothing changed.
        OverdrawnError: a debit larger than the balance; the caller's unit of
            work must roll back (the entry was appended).
    """
    ledger = uow.get(LedgerRepository)
    appended, balance = await ledger.post(entry)
    if not appended:
        raise AlreadyAppliedError()
    if entry.amount > 0:
        if balance is None:  # pragma: no cover - every member has a balance row
            raise LookupError(f"member {entry.member_id} has no balance")
        uow.record(credited_activity(entry))
        return balance
    if balance is None:
        raise OverdrawnError(await ledger.balance(entry.member_id))
    if entry.kind is not EntryKind.GIFTED:
        uow.record(debited_activity(entry))
    return balance


def credited_activity(entry: NewEntry) -> PointsCredited:
    """Points came in: leaderboards and quests listen to this kind."""
    return PointsCredited(
        community_id=entry.community_id,
        member_id=entry.member_id,
        key=entry.key,
        occurred_at=entry.created_at,
        amount=entry.amount,
        source=entry.source,
        entry_kind=str(entry.kind),
    )


def debited_activity(entry: NewEntry) -> PointsDebited:
    """Points went out other than by a gift (spent, revoked, expired): leaderboards listen."""
    return PointsDebited(
        community_id=entry.community_id,
        member_id=entry.member_id,
        key=entry.key,
        occurred_at=entry.created_at,
        amount=-entry.amount,
        source=entry.source,
        entry_kind=str(entry.kind),
    )
