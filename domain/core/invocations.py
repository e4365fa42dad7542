"""The invocation log: the same platform request is applied once.

Slack retries events, members double-click, networks replay. Each writing
command records its idempotency key in the same transaction as its effect; a
repeat finds the key and gets the first answer back instead of a second effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from domain.core.ids import CommunityId


class InvocationLog(Protocol):
    """Remember applied invocation keys and their replies, so a retry is applied once."""

    async def claim(self, platform: str, key: str, command: str, now: datetime) -> bool:
        """Record the key; False if it was recorded before (committed or in flight)."""
        ...

    async def store_reply(self, platform: str, key: str, reply: Mapping[str, Any]) -> None: ...

    async def reply_for(self, platform: str, key: str) -> Mapping[str, Any] | None: ...

    async def forget_before(self, cutoff: datetime) -> int: ...


class CommunityLookup(Protocol):
    """Find the community of a platform workspace."""

    async def community_of(self, platform: str, workspace_id: str) -> CommunityId | None: ...
