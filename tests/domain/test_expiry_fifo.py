"""Unspent credits by replaying a ledger, oldest credits spent first."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.core.ids import CommunityId, MemberId
from domain.points import EntryKind, LedgerEntry
from domain.points.expiry import expire_key, unspent

AT = datetime(2026, 11, 16, tzinfo=UTC)


def entry(id_: int, kind: EntryKind, amount: int, key: str | None = None) -> LedgerEntry:
    return LedgerEntry(
        id=id_,
        community_id=CommunityId(1),
        member_id=MemberId(1),
        kind=kind,
        source="checkin",
        amount=amount,
        key=key or f"k{id_}",
        created_at=AT,
        reason=None,
        actor_id=None,
        counterparty_id=None,
        expires_at=None,
    )


def test_debits_eat_the_oldest_credits_first() -> None:
    left = unspent(
        [
            entry(1, EntryKind.EARNED, 10),
            entry(2, EntryKind.EARNED, 10),
            entry(3, EntryKind.GIFTED, -15),
            entry(4, EntryKind.RECEIVED, 7),
        ]
    )
    assert left == {1: 0, 2: 5, 4: 7}


def test_an_expired_entry_empties_only_its_own_credit() -> None:
    left = unspent(
        [
            entry(1, EntryKind.EARNED, 10),
            entry(2, EntryKind.EARNED, 10),
            entry(3, EntryKind.EXPIRED, -10, key=expire_key(1)),
            entry(4, EntryKind.SPENT, -4),
        ]
    )
    assert left == {1: 0, 2: 6}
    assert sum(left.values()) == 10 + 10 - 10 - 4  # the lots always sum to the balance
