"""The AI mentor's memory in storage (`storage/mentor_ai.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.mentor_ai.model import Turn


class MemoryRepository(Protocol):
    """Each member's remembered turns; every method names the member it reads."""

    async def recent(self, member_id: MemberId, limit: int) -> list[Turn]:
        """The member's last `limit` turns, oldest first; nobody else's."""
        ...

    async def add(
        self,
        community_id: CommunityId,
        member_id: MemberId,
        turns: list[Turn],
        prompt_version: str,
    ) -> None: ...

    async def trim(self, member_id: MemberId, keep: int) -> None:
        """Forget all but the member's newest `keep` turns."""
        ...

    async def clear(self, member_id: MemberId) -> int: ...

    async def save_answer(
        self,
        community_id: CommunityId,
        member_id: MemberId,
        request_key: str,
        answer: str,
        prompt_version: str,
        at: datetime,
        forget_before: datetime,
    ) -> None:
        """Keep the answer to one request (and forget the member's older kept answers)."""
        ...

    async def answer_for(self, member_id: MemberId, request_key: str) -> tuple[str, str] | None:
        """The member's kept answer and prompt version for a request key, if any."""
        ...

    async def count_since(self, community_id: CommunityId, since: datetime) -> int: ...
