"""Words of the home view (Slack's App Home, the member dashboard)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "home.title": "Your Guildhall",
    "home.welcome": "Welcome! Use `/checkin` to check in for today and join the"
    " community's ledger, streaks and leaderboards.",
    "home.field.points": "Points",
    "home.field.streak": "Streak",
    "home.field.rank": "Rank",
    "home.streak": "{streak} (longest {longest})",
    "home.streak_none": "none yet",
    "home.field.level": "Level {level} · {tier}",
    "home.level": "{xp} XP — {to_next} XP to {next_tier}",
    "home.level_top": "the top tier 🌲",
    "home.rank": "#{position} of {out_of}",
    "home.rank_none": "not ranked yet",
    "home.quests": "Active quests",
    "home.quest": "• **{title}** — {progress}/{target}{ends}",
    "home.quest_ends": " · ends {ends}",
    "home.quests_none": "No active quests right now.",
    "home.proposals": "Open proposals awaiting your vote",
    "home.proposal": "• #{id} **{title}** — closes {closes}",
    "home.proposals_none": "Nothing awaits your vote. 🎉",
    "home.updated": "Updated {when}",
}
