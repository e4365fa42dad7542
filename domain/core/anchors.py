"""Message anchors: which posted platform message shows which thing.

Reactions and live edits arrive as "message X in channel Y"; an anchor such as
`proposal:12` tells the cogs what that message is, and it is stored so it
survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.core.ids import CommunityId


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """A message an adapter posted that shows an anchored thing."""

    platform: str
    channel_id: str
    message_id: str
    community_id: CommunityId
    anchor: str


class AnchorRepository(Protocol):
    """Remember and look up anchored messages."""

    async def remember(self, message: PostedMessage, now: datetime) -> None: ...

    async def anchor_of(self, platform: str, channel_id: str, message_id: str) -> str | None: ...

    async def messages_for(self, community_id: CommunityId, anchor: str) -> list[PostedMessage]: ...
