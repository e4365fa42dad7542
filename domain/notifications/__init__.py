"""Notifications: preferences, quiet hours, streak reminders and nudges."""

# domain.core.config gathers our config section; loading it first keeps either import order working.
import domain.core.config  # noqa: F401
from domain.notifications.errors import (
    BadChannelError,
    BadQuietHoursError,
)
from domain.notifications.model import (
    KINDS,
    ChannelChoice,
    Preferences,
    ReminderCandidate,
    StoredPrefs,
)
from domain.notifications.repository import NotificationRepository
from domain.notifications.rules import QuietHours, parse_clock, parse_quiet_hours
from domain.notifications.service import NotificationService

__all__ = [
    "KINDS",
    "BadChannelError",
    "BadQuietHoursError",
    "ChannelChoice",
    "NotificationRepository",
    "NotificationService",
    "Preferences",
    "QuietHours",
    "ReminderCandidate",
    "StoredPrefs",
    "parse_clock",
    "parse_quiet_hours",
]
