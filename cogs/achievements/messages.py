"""Words of the achievements feature (it refuses nothing, so only formatting lives here)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "achievements.none_configured": "This community has no achievements configured.",
    "achievements.title": "🏅 Achievements — {held} of {total} unlocked",
    "achievements.yours": "Your achievements:",
    "achievements.theirs": "{who}'s achievements:",
}


def rarity_text(percent: float) -> str:
    """Return "held by 12% of members"; a rare one held by anyone shows as "<1%"."""
    shown = "<1%" if 0 < percent < 1 else f"{round(percent)}%"
    return f"held by {shown} of members"
