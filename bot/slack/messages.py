"""The Slack adapter's words: App Home, modals, and its own refusals.

Registered in the shared catalogue (`cogs.kit.messages`) so they are written
once and checked like every feature's words.
"""

from __future__ import annotations

from cogs.kit.messages import register

MESSAGES: dict[str, str] = {
    "slack.which_one": "`/{group}` needs a subcommand: {choices}",
    "slack.modal.title": "/{command}",
    "slack.modal.submit": "Send",
    "slack.modal.cancel": "Cancel",
    "slack.modal.too_long": "That was too long to keep for the form — please shorten it.",
    "slack.file.sent": "📎 {filename} was sent to you in a direct message.",
    "slack.file.shared": "📎 {filename}",
    "slack.home.title": "Your Guildhall",
    "slack.home.welcome": "Welcome! Use `/{checkin}` to check in for today and join the"
    " community's ledger, streaks and leaderboards.",
    "slack.home.balance": "*Points*\n{balance}",
    "slack.home.streak": "*Streak*\n{streak} (longest {longest})",
    "slack.home.streak_none": "*Streak*\nnone yet",
    "slack.home.level": "*Level {level}* · {tier}\n{xp} XP — {to_next} XP to {next_tier}",
    "slack.home.level_top": "*Level {level}* · {tier}\nthe top tier 🌲",
    "slack.home.rank": "*Rank*\n#{position} of {out_of}",
    "slack.home.rank_none": "*Rank*\nnot ranked yet",
    "slack.home.quests": "Active quests",
    "slack.home.quest": "• *{title}* — {progress}/{target}{ends}",
    "slack.home.quests_none": "No active quests right now.",
    "slack.home.proposals": "Open proposals awaiting your vote",
    "slack.home.proposal": "• #{id} *{title}* — closes {closes}",
    "slack.home.proposals_none": "Nothing awaits your vote. 🎉",
    "slack.home.updated": "Updated {when}",
    "slack.replayed": "↩ Already done — this is the earlier answer.",
}

register(MESSAGES)
