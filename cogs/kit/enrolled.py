"""Which member an account acts as, remembered so a read needs no lookup before it settles.

A read (`/profile`, `/leaderboard`) first waits until this process's commits
naming the caller are projected ("read your own writes"), and it must do so
before its own read transaction starts (a snapshot taken earlier would not
see what the wait applied). Knowing the caller's member id for that wait took
a unit of work of its own: a BEGIN, one lookup and the end of a transaction,
each a trip to a reader thread, on every read. An account is enrolled once
and keeps its member; only a link or merge moves it, and then the read's own
resolution (inside its transaction) is right and corrects the entry: the
wait before it may have been for the old member, once, which at worst shows
that one read ~100 ms stale.
"""

from __future__ import annotations

from domain.core.ids import MemberId

AccountKey = tuple[str, str, str]  # (platform, workspace id, user id)


class EnrolledAccounts:
    """A bounded map from an account to its member id (oldest entries dropped first)."""

    def __init__(self, most: int = 50_000) -> None:
        self._most = most
        self._members: dict[AccountKey, MemberId] = {}

    def get(self, key: AccountKey) -> MemberId | None:
        return self._members.get(key)

    def remember(self, key: AccountKey, member_id: MemberId) -> None:
        """Note (or correct) the account's member; forget the oldest past the bound."""
        members = self._members
        if members.get(key) == member_id:
            return
        members.pop(key, None)
        members[key] = member_id
        while len(members) > self._most:
            del members[next(iter(members))]

    def forget(self, key: AccountKey) -> None:
        self._members.pop(key, None)

    def __len__(self) -> int:
        return len(self._members)
