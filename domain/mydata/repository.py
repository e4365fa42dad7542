"""What the data-rights feature needs from storage."""

from __future__ import annotations

from typing import Any, Protocol

from domain.core.ids import MemberId


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
