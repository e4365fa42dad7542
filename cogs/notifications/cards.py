"""Reply builders of notifications: a member's settings, the moderators' schedule view."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.kit import Field, Reply
from cogs.kit import messages as catalogue
from domain.notifications import Preferences


def _on(value: bool) -> str:
    return catalogue.text("notifications.settings.on" if value else "notifications.settings.off")


def when(at: datetime | None, timezone: str) -> str:
    """Return a moment in the community's zone for the schedule view ("—" when never)."""
    if at is None:
        return catalogue.text("notifications.schedule.never")
    return at.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M %Z")


def _quiet(prefs: Preferences) -> str:
    return str(prefs.quiet) if prefs.quiet else catalogue.text("notifications.settings.none")


def settings_reply(prefs: Preferences, changed: tuple[str, ...] = ()) -> Reply:
    """A member's notification settings as they stand, naming what this call changed.

    Naming the change matters because a bare `/settings notifications off` binds
    to the first setting (reminders): the member must see which one moved.
    """
    shown = {
        "reminders": _on(prefs.reminders),
        "nudges": _on(prefs.nudges),
        "dms": _on(prefs.dms),
        "quiet": _quiet(prefs),
    }
    changes = ", ".join(
        catalogue.text(
            "notifications.settings.change",
            setting=catalogue.text(f"notifications.settings.{name}"),
            value=shown[name],
        )
        for name in changed
    )
    return Reply(
        title=catalogue.text("notifications.settings.title"),
        text=catalogue.text("notifications.settings.changed", changes=changes) if changes else "",
        fields=tuple(
            Field(catalogue.text(f"notifications.settings.{name}"), value)
            for name, value in shown.items()
        ),
        footer=catalogue.text("notifications.settings.footer"),
    )
