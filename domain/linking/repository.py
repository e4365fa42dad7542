"""What linking needs from storage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.linking.model import CommunityMerge, LinkCode, WorkspaceRef

LevelFor = Callable[[int], tuple[int, int]]


class LinkingRepository(Protocol):
    """One-time codes, a community's workspaces, and the merges of rows."""

    async def add_code(self, code_hash: str, code: LinkCode) -> None: ...

    async def code(self, code_hash: str) -> LinkCode | None: ...

    async def use_code(self, code_hash: str, now: datetime) -> bool:
        """Mark the code used; False when it was used (or expired) meanwhile."""
        ...

    async def workspaces(self, community_id: CommunityId) -> list[WorkspaceRef]: ...

    async def merge_communities(self, keeper: CommunityId, absorbed: CommunityId) -> CommunityMerge:
        """Move every row of `absorbed` to `keeper` and drop the absorbed community."""
        ...

    async def detach_workspace(
        self, community_id: CommunityId, ref: WorkspaceRef
    ) -> tuple[int, int]:
        """Unmap the workspace and its accounts; (accounts detached, members left with none)."""
        ...

    async def merge_member_facts(
        self, community_id: CommunityId, survivor: MemberId, absorbed: MemberId, now: datetime
    ) -> dict[str, int]:
        """Move everything but the balance from `absorbed` to `survivor` (see storage.merging)."""
        ...

    async def merge_projections(
        self, community_id: CommunityId, survivor: MemberId, absorbed: MemberId
    ) -> dict[str, int]:
        """Move only what projections derived (XP, counters, boards, unlocks, quest progress).

        The merge projection replays this where a merge is logged (a rebuild); it
        finds nothing to move when the merge's own transaction moved it already.
        """
        ...

    async def detach_account(
        self,
        account_platform: str,
        workspace_id: str,
        user_id: str,
        new_member: MemberId,
    ) -> None:
        """Point one account at another member (unlink)."""
        ...

    async def create_member(
        self, community_id: CommunityId, display_name: str, now: datetime
    ) -> MemberId:
        """A fresh member with no account yet (and the per-member rows features expect)."""
        ...

    async def merged_into(self, member_id: MemberId) -> MemberId | None: ...

    async def set_standing(self, member_id: MemberId, level_for: LevelFor) -> None:
        """Recompute the member's stored level and tier from their XP."""
        ...
