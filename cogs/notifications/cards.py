"""Reply builders of notifications: a member's settings, the moderators' schedule view."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.kit import Field, Reply
from cogs.kit import messages as catalogue
from domain.notifications import Preferences


def _on(value: bool) -> str:
    return "on" if value else "off"


def when(at: datetime | None, timezone: str) -> str:
    """Return a moment in the community's zone for the schedule view ("—" when never)."""
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M %Z")


def settings_reply(prefs: Preferences) -> Reply:
    """A member's notification settings, as they stand after a change."""
    return Reply(
        title=catalogue.text("notifications.settings.title"),
        fields=(
            Field("Streak reminders", _on(prefs.reminders)),
            Field("Tier nudges", _on(prefs.nudges)),
            Field("By DM", _on(prefs.dms)),
            Field("Quiet hours", str(prefs.quiet) if prefs.quiet else "none"),
        ),
        footer=catalogue.text("notifications.settings.footer"),
    )
