"""The runner's hook for rate limits: a feature provides a `CommandLimiter` on the context.

It runs inside the command's own transaction (writes only), so the count and the
command commit together and several processes share one count in the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork


class CommandLimiter(Protocol):
    """Count a member's writing command; raise a `UserFacingError` when over the limit."""

    async def check(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        member_id: MemberId,
        group: str,
        now: datetime,
        *,
        is_moderator: bool = False,
    ) -> None: ...
