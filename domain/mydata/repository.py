"""What the data-rights feature needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from domain.core.ids import CommunityId, MemberId


class MemberDataRepository(Protocol):
    """Read every row about a member; erase what identifies them."""

    async def history_ids(self, member_id: MemberId) -> list[MemberId]:
        """The member and every member merged into them by /link (their history is theirs)."""
        ...

    async def rows_about(self, member_ids: list[MemberId]) -> dict[str, list[dict[str, Any]]]:
        """Every stored row naming these members, by table (JSON-safe values)."""
        ...

    async def erase(self, member_ids: list[MemberId], tombstone: str) -> dict[str, int]:
        """Remove accounts and settings, blank free text; rows that others' totals need stay.

        Returns how many rows each step touched.
        """
        ...

    async def remove_account(self, platform: str, workspace_id: str, user_id: str) -> bool:
        """Delete one platform account (the member keeps their others); False if unknown."""
        ...


class ImportGrants(Protocol):
    """One grant per imported platform account and source: the import's idempotency."""

    async def was_imported(self, community_id: CommunityId, key: str) -> bool: ...

    async def claim(
        self,
        community_id: CommunityId,
        key: str,
        member_id: MemberId,
        xp: int,
        points: int,
        at: datetime,
    ) -> bool:
        """Record the grant; False when this key was imported before (nothing recorded)."""
        ...

    async def export_rows(self, community_id: CommunityId | None) -> list[dict[str, Any]]:
        """One row per member with an account: their first account, XP and points."""
        ...
