"""Members' notification preferences and announcement channel choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.core.announcements import ChannelChoice as ChannelChoice  # moved to the core
from domain.identity import Member
from domain.notifications.rules import QuietHours

KINDS = ("reminders", "nudges", "dms")


@dataclass(frozen=True, slots=True)
class StoredPrefs:
    """What a member chose; None means "the community default"."""

    reminders: bool | None = None
    nudges: bool | None = None
    dms: bool | None = None
    quiet_hours: str | None = None  # "" = explicitly none


@dataclass(frozen=True, slots=True)
class Preferences:
    """A member's effective preferences, defaults applied."""

    reminders: bool
    nudges: bool
    dms: bool
    quiet: QuietHours | None


@dataclass(frozen=True, slots=True)
class ReminderCandidate:
    """A member whose streak might need a nudge tonight."""

    member: Member
    streak: int
    last_local_date: date | None
    prefs: StoredPrefs
