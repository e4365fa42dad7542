"""Announcements: messages the community should see, written to an outbox.

Jobs and domain events never talk to a platform. They add an `Announcement` to
the unit of work; it is stored in the same transaction and a deliverer sends
it later through the right adapter, retrying until it is sent exactly once per
`dedupe_key`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from domain.core.ids import CommunityId, MemberId


class Target(StrEnum):
    """Where an announcement goes."""

    CHANNEL = "channel"  # the channel configured for `channel_kind`
    DM = "dm"  # a direct message to `member_id`
    EDIT = "edit"  # replace the message anchored as `anchor` (a live proposal card)


@dataclass(frozen=True, slots=True)
class Announcement:
    """One message to deliver; `payload` is a serialised `Reply`."""

    community_id: CommunityId
    kind: str
    dedupe_key: str
    payload: Mapping[str, Any]
    target: Target = Target.CHANNEL
    channel_kind: str = "announcements"
    member_id: MemberId | None = None
    anchor: str | None = None
    not_before: datetime | None = None


class OutboxRepository(Protocol):
    """Store announcements; adding a dedupe key twice keeps the first."""

    async def add(self, announcements: list[Announcement], now: datetime) -> int: ...

    async def settle_pending(self, community_id: CommunityId, now: datetime) -> int:
        """Mark a community's pending announcements as sent without delivering them.

        For seeded history (the console demo): what happened "two weeks ago"
        is not news to post the first time the bot starts.
        """
        ...


@dataclass(frozen=True, slots=True)
class ChannelChoice:
    """A channel a moderator chose for one announcement kind on one workspace."""

    kind: str
    platform: str
    workspace_id: str
    channel_id: str


class ChannelDirectory(Protocol):
    """Where a community's announcements go, per kind and workspace.

    The deliverer asks this instead of the notifications feature, which
    implements it (moderators choose channels with /admin channels set).
    """

    async def channels(self, community_id: CommunityId) -> list[ChannelChoice]:
        """Return every channel chosen in the community (none: the configured names)."""
        ...
