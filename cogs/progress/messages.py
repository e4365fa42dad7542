"""Words of /profile and of level and tier announcements.

XP rules refuse silently (the action itself still counts), so /profile shows
what each source paid today and which daily caps are reached.
"""

MESSAGES: dict[str, str] = {
    "progress.title": "{name}'s profile",
    "progress.locked": "🔒 locked",
    "progress.field.level": "Level",
    "progress.field.tier": "Tier",
    "progress.field.points": "Points",
    "progress.field.streak": "Streak",
    "progress.field.today": "XP today",
    "progress.field.rank": "Rank",
    "progress.field.achievements": "Top achievements",
    "progress.level_max": "**{level}** (max) · {xp} XP",
    "progress.level_line": "**{level}** · {xp} XP\n{bar} {to_next} XP to level {next}",
    "progress.tier_top": "**{tier}** (top tier)",
    "progress.tier_line": "**{tier}**\n{bar} {to_next} XP to {next}",
    "progress.streak_line": "**{current}** (longest {longest})",
    "progress.streak_freezes": " · 🧊 {n} freeze| · 🧊 {n} freezes",
    "progress.rank_line": "**#{position}** of {out_of} · {board}",
    "progress.rank_board": "XP, all time",
    "progress.other_boards": "Other boards: /leaderboard points week · /leaderboard streak"
    " · /leaderboard xp month",
    "progress.achievement_line": "{emoji} **{name}** — held by {percent}% of members",
    "progress.cap_reached": " (daily cap reached)",
    # How an XP source (an activity kind) reads in "XP today"; a kind without
    # words here shows as its name.
    "progress.source.checked_in": "check-in",
    "progress.source.points_gifted": "giving",
    "progress.source.vote_cast": "votes",
    "progress.source.proposal_created": "proposals",
    "progress.source.proposal_approved": "approved proposals",
    "progress.source.proposal_implemented": "implemented proposals",
    "progress.source.quest_completed": "quests",
    "progress.source.achievement_unlocked": "achievements",
    # announcements
    "progress.level_up": "🎉 {who} reached **level {level}**!",
    "progress.tier_up": "🌳 {who} grew into **{tier}**!",
    "progress.role_granted": "{who} now has the **{role}** role.",
}
