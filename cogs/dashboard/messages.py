"""Words of the dashboard and analytics commands."""

MESSAGES = {
    "dashboard.link_title": "🔐 Your dashboard link",
    "dashboard.link": "Open the moderators' dashboard for **{community}**:\n{url}\n\n"
    "The link works once and expires in 10 minutes. Don't share it.",
    "dashboard.not_served": "This Guildhall doesn't serve a web dashboard. Ask whoever runs it to"
    " set `GUILDHALL_PUBLIC_URL` and start it with `guildhall run`.",
    "dashboard.link_refused": "That sign-in link is unknown, already used or expired. Ask for a"
    " new one with `/admin dashboard`.",
    "dashboard.retry_queued": "Announcement #{id} is queued again; it goes out within a minute.",
    "dashboard.retry_unknown": "There is no failed announcement #{id} in this community. The"
    " failed ones are listed by `/admin schedule`.",
    "dashboard.stats_title": "📈 {community} — the last {days} days",
    "dashboard.stats_members": "**{members}** members ({new} new)",
    "dashboard.stats_active": "Active: **{dau}** today · **{wau}** this week · **{mau}** this"
    " month · stickiness {stickiness}",
    "dashboard.stats_retention": "30-day retention: **{retention}**",
    "dashboard.stats_retention_unknown": "30-day retention: not enough history yet",
    "dashboard.stats_participation": "Of **{active}** active members: {checked_in} checked in,"
    " {voted} voted, {gave} gave points, {quested} completed a quest",
    "dashboard.stats_points": "Points issued **{issued}** · spent **{spent}**",
    "dashboard.stats_top": "Top contributors: {names}",
    "dashboard.stats_empty": "No activity rolled up yet — the numbers appear within the hour.",
}
