"""What identity needs from storage."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.identity.model import Account, Community, Member, Platform


class IdentityRepository(Protocol):
    """Find or create communities and members; creation is idempotent."""

    async def community_for_workspace(
        self, platform: Platform, workspace_id: str
    ) -> Community | None: ...

    async def create_community(
        self, platform: Platform, workspace_id: str, name: str, timezone: str, now: datetime
    ) -> Community: ...

    async def get_community(self, community_id: CommunityId) -> Community | None: ...

    async def member_with_community(
        self, platform: Platform, workspace_id: str, user_id: str
    ) -> tuple[Member, Community] | None:
        """The member behind an account and their community, in one read (the hot path)."""
        ...

    async def member_for_account(
        self, platform: Platform, workspace_id: str, user_id: str
    ) -> Member | None: ...

    async def enrol(
        self,
        community_id: CommunityId,
        platform: Platform,
        workspace_id: str,
        user_id: str,
        display_name: str,
        now: datetime,
    ) -> Member: ...

    async def get_member(self, member_id: MemberId) -> Member | None: ...

    async def get_members(self, member_ids: Collection[MemberId]) -> dict[MemberId, Member]:
        """The members of these ids that exist, in one read (a projector batch asks for many)."""
        ...

    async def accounts_of(self, member_ids: list[MemberId]) -> list[Account]: ...

    async def rename(self, member_id: MemberId, display_name: str) -> None: ...

    async def set_timezone(self, member_id: MemberId, timezone: str | None) -> None: ...

    async def set_lock(self, member_id: MemberId, reason: str | None) -> None: ...

    async def find_by_name(self, community_id: CommunityId, name: str) -> Member | None: ...
