"""The contract between the outbox deliverer and the platform adapters.

The scheduler's deliverer claims pending outbox rows, resolves where each
goes, and hands each platform's adapter a `Delivery`. The adapter sends it
and returns the posted message's id, or raises `RetryLater` (rate limit,
outage: try again after a pause) or `CannotDeliver` (missing permission,
deleted channel: give up, tell the moderators).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from cogs.kit import Reply
from domain.core.announcements import Target
from domain.identity import Platform


@dataclass(frozen=True, slots=True)
class Delivery:
    """One announcement for one platform workspace."""

    outbox_id: int
    kind: str
    target: Target
    workspace_id: str
    reply: Reply
    channel_id: str | None = None  # configured with /admin channels set, else None
    channel_name: str | None = None  # from config.toml [channels], for adapters to look up
    user_id: str | None = None  # DM target's platform user id
    message_ids: tuple[tuple[str, str], ...] = ()  # EDIT: (channel id, message id) to replace
    # Set when an earlier claim (a crashed or failed try) may have posted it already:
    # when that first claim was, so an adapter can look for the post since then.
    since: datetime | None = None

    @property
    def key(self) -> str:
        """This announcement's key in this workspace, the same in every process and retry.

        Adapters attach it to what they post (Discord nonce, Slack message metadata)
        so a retry can recognise a post it made before a crash.
        """
        return f"{self.outbox_id}:{self.workspace_id}"


class RetryLater(Exception):
    """A temporary failure; deliver again after `after`."""

    def __init__(self, reason: str, after: timedelta = timedelta(seconds=5)) -> None:
        super().__init__(reason)
        self.after = after


class CannotDeliver(Exception):
    """A permanent failure for this delivery (403, 404): do not retry."""


class Deliverer(Protocol):
    """Send one outbox delivery on one platform; each adapter provides one."""

    platform: Platform

    async def deliver(self, delivery: Delivery) -> str | None:
        """Send it; return "channel_id:message_id" of what was posted (None for DMs/edits)."""
        ...
