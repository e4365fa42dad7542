"""The read path: a read sees the caller's own writes, in one read transaction.

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

from collections.abc import Awaitable, Callable

from cogs.kit.context import CogContext
from cogs.kit.invocation import Invocation
from cogs.kit.reply import Reply
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.identity.service import Resolved

AccountKey = tuple[str, str, str]  # (platform, workspace id, user id)


def account_of(inv: Invocation) -> AccountKey:
    """The key an invocation's caller is remembered by."""
    a = inv.actor
    return (str(a.platform), a.workspace_id, a.user_id)


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


async def read_as_caller(
    ctx: CogContext,
    enrolled: EnrolledAccounts,
    inv: Invocation,
    handle: Callable[[UnitOfWork, Resolved], Awaitable[Reply]],
    enrol: Callable[[Invocation], Awaitable[MemberId]],
) -> Reply:
    """Run `handle` in one read-only unit of work that sees the caller's own writes.

    This process's commits naming the caller must be projected before the
    read's transaction starts. A caller `enrolled` remembers is waited for
    first. An unknown one is looked up inside the read's own transaction and
    read at once if no commit naming them was open when it started
    (`ActivityBus.unsettled`); a newcomer (`enrol`: a write of its own), a
    moved or erased account (the entry dropped), or a caller with writes still
    to apply is waited for and read again, once.
    """
    key = account_of(inv)
    a = inv.actor
    member_id = enrolled.get(key)
    if member_id is not None:
        await ctx.bus.settle(member_id)
    waiting = ctx.bus.unsettled() if member_id is None else ()
    for again in (False, True):
        async with ctx.uow(read_only=True, quick=True) as uow:
            resolved = await ctx.identity.find(
                uow, a.platform, a.workspace_id, a.user_id, a.display_name, persist_name=False
            )
            if resolved is not None and (
                again
                or resolved.member.id == member_id
                or (member_id is None and resolved.member.id not in waiting)
            ):
                enrolled.remember(key, resolved.member.id)
                return await handle(uow, resolved)
        if again:  # erased between its enrolment and this read
            raise LookupError("the account vanished while it was being read")
        enrolled.forget(key)
        member_id = resolved.member.id if resolved else await enrol(inv)
        await ctx.bus.settle(member_id)
    raise AssertionError("unreachable")  # pragma: no cover
