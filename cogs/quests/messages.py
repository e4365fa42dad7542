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
    "quests.date_range": "**{option}** must be a day from {first} to {last}, not {value}.",
    "quests.manual_target": "A manual quest is done with one approved proof, so its target"
    " must be 1 (not {target}).",
    "quests.approved_dm": "✅ Your proof for **{title}** was approved",
    "quests.approved_reward": " — you earned {reward}!",
    "quests.approved_no_reward": ".",
    # difficulty, goals and rewards
    "quests.difficulty.easy": "🟢 easy",
    "quests.difficulty.medium": "🟡 medium",
    "quests.difficulty.hard": "🟠 hard",
    "quests.difficulty.epic": "🔴 epic",
    "quests.goal.checkins": "{n} check-in|{n} check-ins",
    "quests.goal.votes": "{n} vote|{n} votes",
    "quests.goal.proposals": "{n} proposal|{n} proposals",
    "quests.goal.approvals": "{n} approved proposal|{n} approved proposals",
    "quests.goal.gifts": "{n} gift|{n} gifts",
    "quests.goal.points": "{n} point|{n} points",
    "quests.goal.xp": "{n} XP",
    "quests.goal.battles_fought": "{n} battle fought|{n} battles fought",
    "quests.goal.battles_won": "{n} battle won|{n} battles won",
    "quests.goal.events": "{n} event attended|{n} events attended",
    "quests.goal.mentoring": "{n} mentoring session given|{n} mentoring sessions given",
    "quests.goal.manual": "{n} approved proof|{n} approved proofs",
    "quests.every.daily": " each day",
    "quests.every.weekly": " each week",
    "quests.reward_points": "{n} point|{n} points",
    "quests.reward_xp": "{xp} XP",
    "quests.reward_and": " + ",
    "quests.reward_none": "glory",
    # a quest's facts and the board
    "quests.facts": "Goal: {goal} · Reward: {reward} · {difficulty}",
    "quests.starts_in": "Starts in {wait}.",
    "quests.ends_in": "Ends in {wait}.",
    "quests.board_title": "🗺️ Quests",
    "quests.board_empty": "No quests are open right now. Check back on Monday for new challenges!",
    "quests.board_line": "**#{id} {title}** · {difficulty} · {reward} · ends in {wait}\n"
    "{goal} — {status}",
    "quests.status_done": "✅ done",
    "quests.status_pending": "⏳ proof #{submission} awaiting review",
    "quests.status_manual": "submit proof: `/quest submit {id} <proof>`",
    "quests.rotation_title": "🗓️ This week's challenges",
    "quests.rotation_line": "**#{id} {title}** — {description} ({reward})",
    "quests.rotation_footer": "\n\nSee your progress with `/quests`.",
    # submissions and reviews
    "quests.created_title": "🗺️ New quest #{id}: {title}",
    "quests.submitted": "📨 Proof for **{title}** sent as submission **#{submission}**."
    " A moderator will review it.",
    "quests.reviewed_approved": "Submission **#{submission}** by {who} for **{title}**"
    " approved ✅.",
    "quests.reviewed_rejected": "Submission **#{submission}** by {who} for **{title}**"
    " rejected ❌.",
    "quests.reviewed_earned": " They earned {points}.",
    "quests.queue_title": "📥 Waiting for review",
    "quests.queue_empty": "No submissions are waiting for review. 🎉",
    "quests.queue_line": "**#{submission}** {who} — **{title}**: “{proof}”",
    "quests.queue_footer": "\n\nDecide with"
    " `/admin quest review <submission> <approve|reject> [reason]`.",
    "quests.someone": "someone",
    "quests.completed_dm": "🏁 Quest complete: **{title}** — you earned {reward}!",
    "quests.rejected_dm": "Your proof for **{title}** was not accepted",
    "quests.rejected_reason": ": “{reason}”.",
    "quests.rejected_no_reason": ".",
    "quests.rejected_again": " You can send new proof with `/quest submit {id} <proof>`.",
}
