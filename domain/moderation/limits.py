"""Rate limits per member and command class, in fixed one-minute windows in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.errors import UserFacingError
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.moderation.config import LimitsSection


class SlowDownError(UserFacingError):
    """Over the limit for this minute (params: seconds)."""

    code = "moderation.slow_down"


class RateCounters(Protocol):
    """One counter per member and class; the database refuses to pass the limit."""

    async def hit(self, member_id: MemberId, klass: str, window: datetime, limit: int) -> bool:
        """Count one use in `window`; False (and nothing counted) when `limit` is reached."""
        ...


class RateLimiter:
    """The `CommandLimiter` the runner calls for every writing command of a member."""

    def __init__(self, section: LimitsSection) -> None:
        self._section = section

    async def check(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        member_id: MemberId,
        group: str,
        now: datetime,
        *,
        is_moderator: bool = False,
    ) -> None:
        """Count the command in its group and as a write.

        Raises:
            SlowDownError: the member reached a limit for this minute.
        """
        if is_moderator and self._section.exempt_moderators:
            return
        window = now.replace(second=0, microsecond=0)
        for klass, limit in (
            (group, self._section.groups.get(group, 0)),
            ("write", self._section.write),
        ):
            if limit and not await uow.get(RateCounters).hit(member_id, klass, window, limit):
                raise SlowDownError(seconds=max(60 - now.second, 1))
