"""Words of the achievements feature (it refuses nothing, so only formatting lives here)."""

from __future__ import annotations

from cogs.kit.messages import text

MESSAGES: dict[str, str] = {
    "achievements.none_configured": "This community has no achievements configured.",
    "achievements.title": "🏅 Achievements — {held} of {total} unlocked",
    "achievements.yours": "Your achievements:",
    "achievements.theirs": "{who}'s achievements:",
    "achievements.unlocked": "{emoji} {who} unlocked **{name}** — {description}. ({rarity})",
    "achievements.held_line": "{emoji} **{name}** — {description} · {rarity}",
    "achievements.locked_line": "🔒 {name} — {description} {bar} {counts}",
    "achievements.count": "{have}/{need} {counter}",
    "achievements.rarity": "held by {percent} of members",
    "achievements.rarity_below_one": "<1%",
}


def rarity_text(percent: float) -> str:
    """Return "held by 12% of members"; a rare one held by anyone shows as "<1%"."""
    shown = text("achievements.rarity_below_one") if 0 < percent < 1 else f"{round(percent)}%"
    return text("achievements.rarity", percent=shown)
