"""Words of the quest commands."""

MESSAGES = {
    "quests.not_found": "There is no quest **#{quest_id}** here. `/quests` lists the open ones.",
    "quests.not_open": "**{title}** isn't open right now.",
    "quests.not_manual": "**{title}** counts your {goal} by itself — no proof needed.",
    "quests.already_completed": "You already completed **{title}** — well done!",
    "quests.submission_pending": "Your proof for **{title}** (submission #{submission_id}) is"
    " still waiting for a moderator.",
    "quests.submission_not_found": "There is no submission **#{submission_id}** here."
    " `/admin quest submissions` lists the waiting ones.",
    "quests.submission_reviewed": "Submission **#{submission_id}** was already {status}.",
    "quests.schedule": "That schedule doesn't work: {problem}.",
    "quests.date": "**{option}** must be a date like 2026-11-30 or a duration like 7d,"
    " not “{value}”.",
}

DIFFICULTY = {"easy": "🟢 easy", "medium": "🟡 medium", "hard": "🟠 hard", "epic": "🔴 epic"}
GOAL_WORDS = {
    "checkins": ("check-in", "check-ins"),
    "votes": ("vote", "votes"),
    "proposals": ("proposal", "proposals"),
    "approvals": ("approved proposal", "approved proposals"),
    "gifts": ("gift", "gifts"),
    "points": ("point", "points"),
    "xp": ("XP", "XP"),
    "battles_fought": ("battle fought", "battles fought"),
    "battles_won": ("battle won", "battles won"),
    "manual": ("approved proof", "approved proofs"),
}
