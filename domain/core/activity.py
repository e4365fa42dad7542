"""Activities: what members did, published inside the transaction that did it.

Services record an `Activity` ("checked_in", "points_gifted", "vote_cast", …)
on the unit of work. Other features subscribe by kind — gamification turns
activities into XP, quest progress and achievements — and their handlers run
in the same transaction before commit, so a reward exists exactly when the
thing rewarded does. Kinds are strings so that a feature can listen to another
without importing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from domain.core.ids import CommunityId, MemberId

if TYPE_CHECKING:
    from domain.core.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing a member did, with a key that is unique for that occurrence."""

    kind: str
    community_id: CommunityId
    member_id: MemberId
    key: str
    occurred_at: datetime
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


ActivityHandler = Callable[["UnitOfWork", Activity], Awaitable[None]]


class ActivityBus:
    """Route activities to the handlers subscribed to their kind ("*" hears all)."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[ActivityHandler]] = defaultdict(list)

    def subscribe(self, kind: str, handler: ActivityHandler) -> None:
        self._handlers[kind].append(handler)

    def handlers_for(self, kind: str) -> list[ActivityHandler]:
        return [*self._handlers.get(kind, ()), *self._handlers.get("*", ())]

    async def dispatch(self, uow: UnitOfWork, pending: list[Activity]) -> None:
        """Run handlers until no new activity is pending; a handler may record more.

        Raises whatever a handler raises, so the unit of work rolls back whole.
        """
        rounds = 0
        while pending:
            rounds += 1
            if rounds > 20:  # a handler loop would otherwise never commit
                raise RuntimeError("activity handlers keep recording new activities")
            batch = list(pending)
            pending.clear()
            for activity in batch:
                for handler in self.handlers_for(activity.kind):
                    await handler(uow, activity)
