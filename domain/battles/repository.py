"""What battles need from storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.battles.model import (
    Battle,
    BattleId,
    Entry,
    NewBattle,
    Rating,
    Side,
    Status,
    Tally,
)
from domain.core.ids import CommunityId, MemberId
from domain.core.timers import TimerRepository
from domain.core.uow import UnitOfWork


class BattleRepository(Protocol):
    """Battles, entries, votes and ratings; every state change is a conditional update."""

    async def add(self, battle: NewBattle) -> Battle: ...

    async def get(self, community_id: CommunityId, battle_id: BattleId) -> Battle | None: ...

    async def lock(self, battle_id: BattleId) -> Battle | None:
        """Read the battle with a row lock until commit (PostgreSQL; SQLite has one writer)."""
        ...

    async def accept(
        self, battle_id: BattleId, member_id: MemberId, at: datetime, deadline: datetime
    ) -> bool:
        """Take a pending challenge as `member_id`; False if it is no longer pending or not theirs.

        One conditional UPDATE, so of two concurrent accepts exactly one wins.
        """
        ...

    async def move(
        self, battle_id: BattleId, from_: Sequence[Status], to: Status, **changes: Any
    ) -> bool:
        """Change status (and other columns) only if it is one of `from_`; True if it was."""
        ...

    async def add_entry(self, entry: Entry) -> bool:
        """Store an entry; False when the member already submitted one."""
        ...

    async def entries(self, battle_id: BattleId) -> list[Entry]: ...

    async def vote(
        self, battle_id: BattleId, member_id: MemberId, side: Side, at: datetime
    ) -> Side | None:
        """Record or change a member's vote; their previous side, if any."""
        ...

    async def vote_of(self, battle_id: BattleId, member_id: MemberId) -> Side | None: ...

    async def tally(self, battle_id: BattleId) -> Tally: ...

    async def ratings(
        self, community_id: CommunityId, member_ids: Sequence[MemberId], start: int, *, lock: bool
    ) -> dict[MemberId, Rating]:
        """Each member's record, created at `start` if new; locked in id order if asked."""
        ...

    async def save_rating(self, rating: Rating, at: datetime) -> None: ...

    async def rating_of(self, member_id: MemberId) -> Rating | None: ...

    async def started_since(self, member_id: MemberId, since: datetime) -> int:
        """Battles the member created or accepted since `since` that did not fall through."""
        ...

    async def pair_since(self, one: MemberId, other: MemberId, since: datetime) -> int:
        """Accepted battles between these two members since `since`."""
        ...

    async def listing(
        self,
        community_id: CommunityId,
        statuses: Sequence[Status],
        member_id: MemberId | None,
        limit: int,
    ) -> list[Battle]:
        """Newest first; only the member's battles when `member_id` is given."""
        ...

    async def judge_queue(self, now: datetime, limit: int) -> list[Battle]:
        """Battles of every community waiting for the AI judge and due by `now`, oldest first."""
        ...

    async def claim_judging(
        self, battle_id: BattleId, attempts: int, now: datetime, lease_until: datetime
    ) -> bool:
        """Count one more judge attempt if the battle still waits with `attempts` made and is due.

        One conditional UPDATE: of two runners claiming the same attempt exactly
        one wins, and the lease keeps the others off until the attempt ends.
        """
        ...

    async def judge_later(self, battle_id: BattleId, at: datetime) -> None:
        """Let the next judge attempt start at `at` (after a failed attempt)."""
        ...

    async def names(self, member_ids: Sequence[MemberId]) -> Mapping[MemberId, str]: ...

    async def communities(self) -> list[CommunityId]:
        """Every community (the weekly post goes to each)."""
        ...


# mypy refuses a Protocol where `uow.get` takes `type[R]` (type-abstract), although
# looking a repository up by its interface is the design: said once, here.
def battles(uow: UnitOfWork) -> BattleRepository:
    """The battle repository of this unit of work."""
    return uow.get(BattleRepository)


def timers(uow: UnitOfWork) -> TimerRepository:
    """The durable timers of this unit of work."""
    return uow.get(TimerRepository)
