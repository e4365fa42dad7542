"""A platform's own calendar entry for an event (Discord's Guild Scheduled Events).

The events feature says what the entry should look like; a client in `bot/`
makes the platform agree. The entry is found again by `marker`, a line of its
description, instead of by a stored platform id: a retry after a crash, or a
second process, finds the entry the first attempt made instead of adding one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class NativeEvent:
    """How one occurrence should appear in the platform's own event list."""

    marker: str  # unique to the occurrence; the last line of `description`
    title: str
    description: str
    where: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


class NativeCalendar(Protocol):
    """Create, edit or cancel an occurrence's native event in one workspace."""

    platform: str

    async def sync(self, workspace_id: str, event: NativeEvent, now: datetime) -> None:
        """Make the workspace's native event match `event` (idempotent).

        A missing entry is created unless the event is cancelled or already
        started; an existing one is edited only where it differs.

        Raises:
            Exception: a temporary failure (rate limit, outage); the caller retries.
        """
        ...
