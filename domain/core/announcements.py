"""Announcements: messages the community should see, written to an outbox.

Jobs and domain events never talk to a platform. They add an `Announcement` to
the unit of work; it is stored in the same transaction and a deliverer sends
it later through the right adapter, retrying until it is sent exactly once per
`dedupe_key`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from domain.core.ids import CommunityId, MemberId

if TYPE_CHECKING:
    from domain.core.config import CommunityConfig
    from domain.core.uow import UnitOfWork


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


LIVE = "live"
"""Payload key of a live announcement: the payload names what to show, rendered when sent."""

LiveRender = Callable[
    ["UnitOfWork", "CommunityConfig", Mapping[str, Any]], Awaitable[dict[str, Any] | None]
]
"""`async def render(uow, config, payload) -> reply dict, or None when it is no longer news`."""

_LIVE: dict[str, LiveRender] = {}


def live(kind: str) -> Callable[[LiveRender], LiveRender]:
    """Declare how announcements of `kind` with a live payload are rendered at delivery.

    For a message that follows changing state (a proposal card's tally): the
    writer queues `{LIVE: True, …ids}` once per throttle period, without reading
    or rendering anything, and the deliverer renders it as the state is when
    it is sent — at most once per period however many changes happened.
    Registered at import time, as activity kinds and message catalogues are.
    """

    def register(render: LiveRender) -> LiveRender:
        if _LIVE.get(kind, render) is not render:
            raise ValueError(f"live announcement kind {kind!r} declared twice")
        _LIVE[kind] = render
        return render

    return register


def live_renderer(kind: str) -> LiveRender | None:
    """The renderer declared for `kind`, if any."""
    return _LIVE.get(kind)


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
