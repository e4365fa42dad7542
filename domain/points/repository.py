"""What the ledger needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.points.model import LedgerEntry, NewEntry


class LedgerRepository(Protocol):
    """Append entries and move cached balances, atomically and idempotently."""

    async def append(self, entry: NewEntry) -> bool:
        """Append an entry; False (and nothing written) when its key already exists."""
        ...

    async def credit(self, member_id: MemberId, amount: int) -> int:
        """Add to the cached balance and return the new balance."""
        ...

    async def debit(self, member_id: MemberId, amount: int) -> int | None:
        """Subtract if the balance covers it; the new balance, or None if it does not."""
        ...

    async def post(self, entry: NewEntry) -> tuple[bool, int | None]:
        """`append`, then `credit` or `debit` by the entry's signed amount, as one step.

        Returns (appended, balance): not appended when the key exists (nothing
        moved); appended with balance None when a debit was not covered.
        """
        ...

    async def balance(self, member_id: MemberId) -> int: ...

    async def lock_balances(self, member_ids: list[MemberId]) -> None:
        """Take row locks on these balances, in the given order, until commit."""
        ...

    async def entry_by_key(self, community_id: CommunityId, key: str) -> LedgerEntry | None: ...

    async def history(
        self, member_id: MemberId, limit: int, offset: int = 0
    ) -> list[LedgerEntry]: ...

    async def count(self, member_id: MemberId) -> int:
        """How many ledger rows the member has (for paging the history)."""
        ...

    async def gifted_since(self, member_id: MemberId, since: datetime) -> int:
        """Points the member gave away from `since` on (the daily quota)."""
        ...

    async def entries_of(self, member_id: MemberId) -> list[LedgerEntry]:
        """Every row of the member, oldest first (replayed to find unspent credits)."""
        ...

    async def members_with_due_expiry(self, now: datetime, limit: int) -> list[MemberId]:
        """Members holding a credit that expired by `now` and was not processed yet."""
        ...

    async def mark_expiries_done(
        self, lots: list[tuple[LedgerEntry, int]], now: datetime
    ) -> set[int]:
        """Record credits as expired (with what was left of each); the ids newly recorded.

        A credit recorded by an earlier run is left out, so it expires once.
        """
        ...

    async def append_many(self, entries: list[NewEntry]) -> set[str]:
        """Append entries in one statement; the keys that were new (others are skipped)."""
        ...
