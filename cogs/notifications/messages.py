"""Words of notifications: settings, admin views, and the announcements jobs post."""

MESSAGES = {
    "notifications.bad_quiet_hours": "**{given}** is not quiet hours. Use a range like "
    "`22:00-07:00`, or `off`.",
    "notifications.unknown_channel_kind": "I don't post **{kind}** announcements. Kinds: {kinds}.",
    "notifications.bad_channel": "**{given}** is not a channel. Mention it (#general) or give "
    "its id.",
    # Announcements (rendered by the jobs, not refusals)
    "notifications.reminder.channel": "🔥 Streaks on the line tonight: {names} — there's still "
    "time to `/checkin`!",
    "notifications.reminder.dm": "🔥 Your **{streak}-day** streak ends at midnight unless you "
    "`/checkin` today.",
    "notifications.reminder.footer": "Turn these off with /settings notifications --reminders off",
    "notifications.nudge.dm": "🌱 You're **{xp} XP** from **{tier}** — keep going!",
    "notifications.nudge.channel": "🌱 {who} is **{xp} XP** from **{tier}** — cheer them on!",
    "notifications.nudge.footer": "Turn these off with /settings notifications --nudges off",
    "notifications.leaderboard.week_title": "🏆 Winners of week {season}",
    "notifications.leaderboard.month_title": "🏆 Winners of {season}",
    "notifications.leaderboard.pulse": "📈 The last 7 days: active members {active} · new"
    " {new} · stickiness {stickiness}",
    "notifications.leaderboard.new_season": "A new season starts now — **{season}**. "
    "Good luck, everyone!",
    "notifications.settings.title": "Your notifications",
    "notifications.settings.changed": "Changed: {changes}.",
    "notifications.settings.change": "{setting} → {value}",
    "notifications.settings.reminders": "Streak reminders",
    "notifications.settings.nudges": "Tier nudges",
    "notifications.settings.dms": "By DM",
    "notifications.settings.quiet": "Quiet hours",
    "notifications.settings.on": "on",
    "notifications.settings.off": "off",
    "notifications.settings.none": "none",
    "notifications.settings.footer": "Change one: /settings notifications --dms on, "
    "--quiet 22:00-07:00, --reminders off",
    "notifications.channel_set": "The **{kind}** channel is now {channel}: those posts go there.",
    "notifications.schedule.missing": "The scheduler isn't installed in this bot.",
    "notifications.schedule.title": "Schedule",
    "notifications.schedule.job": "`{name}` — {trigger}; next {next}",
    "notifications.schedule.job_failed": " ⚠ last run failed: {error}",
    "notifications.schedule.never": "—",
    "notifications.schedule.runner": "Runner",
    "notifications.schedule.no_runner": "none (no scheduler running)",
    "notifications.schedule.outbox": "Outbox",
    "notifications.schedule.backlog": "{pending} pending ({due} due, {retrying} retrying)",
    "notifications.schedule.sent_failed": "Sent / failed",
    "notifications.schedule.failure": "Failed #{id} {kind}",
    "notifications.schedule.failure_detail": "{error} (tries: {attempts})",
    "notifications.schedule.channels": "Channels",
    "notifications.schedule.channel": "{kind} → {channel} ({platform})",
    "notifications.schedule.no_jobs": "No jobs are declared.",
}
