"""Words of /profile.

XP rules refuse silently (the action itself still counts), so /profile shows
what each source paid today and which daily caps are reached.
"""

MESSAGES: dict[str, str] = {}

# How an XP source (an activity kind) reads in "XP today".
SOURCE_LABELS = {
    "checked_in": "check-in",
    "points_gifted": "giving",
    "vote_cast": "votes",
    "proposal_created": "proposals",
    "proposal_approved": "approved proposals",
    "proposal_implemented": "implemented proposals",
    "quest_completed": "quests",
    "achievement_unlocked": "achievements",
}

CAP_REACHED = "daily cap reached"
