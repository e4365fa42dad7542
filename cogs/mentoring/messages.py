"""Words of mentoring: refusals by error code, and the words on cards and DMs."""

MESSAGES = {
    # refusals
    "mentoring.not_a_mentor": "**{name}** has no mentor profile. `/mentors` lists the mentors"
    " here; `/mentor profile set` makes you one.",
    "mentoring.may_not_mentor": "Mentoring here opens at tier **{tier}**. Keep taking part —"
    " you'll get there!",
    "mentoring.not_approved": "Your mentor profile is saved; a moderator will approve it before"
    " members can find you.",
    "mentoring.unavailable": "**{name}** isn't taking requests right now. Try `/mentor match"
    " <topic>` for someone else.",
    "mentoring.full": "**{name}** has no free slots right now. Try `/mentor match <topic>` for"
    " someone else.",
    "mentoring.self": "You can't book a session with yourself — try `/mentor match <topic>`.",
    "mentoring.unknown_type": "**{type}** isn't a session type here. Choose one of: {known}.",
    "mentoring.session_not_found": "I couldn't find session **#{id}** here. `/sessions` lists"
    " yours.",
    "mentoring.not_yours": "Session **#{id}** isn't yours to change.",
    "mentoring.wrong_state": "Session **#{id}** is **{status}**, so that can't be done any more.",
    "mentoring.already_rated": "Session **#{id}** is already rated — thank you!",
    "mentoring.capacity_below_active": "You have **{active}** scheduled sessions; capacity can't"
    " go below that. Complete or cancel one first.",
    "mentoring.bad_availability": "I couldn't read “{text}”. Write it like `Mon-Fri 18:00-20:00`"
    " (several with commas), in your own time zone.",
    "mentoring.duplicate_request": "You already have an open session with **{name}** —"
    " `/sessions` shows it.",
    "mentoring.bad_when": "I couldn't read “{text}” as a time. Write it like"
    " `2026-12-01 18:00` (your time zone), in the future.",
    "mentoring.bad_stars": "A rating is 1 to 5 stars.",
    # statuses
    "mentoring.status.requested": "⏳ requested",
    "mentoring.status.scheduled": "📅 scheduled",
    "mentoring.status.completed": "✅ completed",
    "mentoring.status.cancelled": "✖️ cancelled",
    "mentoring.status.declined": "🚫 declined",
    "mentoring.status.no_show": "👻 no-show",
    # cards and DMs
    "mentoring.request.card": "{mentee} asks you for a **{type}** session{when}:\n> {message}",
    "mentoring.request.sent": "📨 Request **#{id}** sent to {mentor}. You'll hear back in a DM.",
    "mentoring.propose.hint": 'Pick another time with `/session accept {id} --when "YYYY-MM-DD'
    ' HH:MM"` (your time zone); {mentee} will be told.',
    "mentoring.accepted": "📅 {mentor} accepted session **#{id}** ({type}){when}.",
    "mentoring.declined": "🚫 {mentor} declined session **#{id}**{reason}. `/mentor match`"
    " finds someone else.",
    "mentoring.cancelled": "✖️ Session **#{id}** was cancelled by {who}{reason}.",
    "mentoring.completed": "✅ Session **#{id}** is complete. Thank you both!",
    "mentoring.noshow": "👻 Session **#{id}** recorded as a no-show.",
    "mentoring.rate.ask": "How was your **{type}** session **#{id}** with {mentor}? Tap a"
    " rating, or `/session rate {id} <1-5> [comment]`.",
    "mentoring.rated": "⭐ Thanks — you rated session **#{id}** {stars}★.",
    "mentoring.rated.reward": " {mentor} earned **{points}** points for it.",
    "mentoring.reminder": "⏰ Reminder: your **{type}** session **#{id}** with {other} starts"
    " {when}.",
    "mentoring.none": "No mentors match{topic} right now. Try another topic, or become one with"
    " `/mentor profile set`.",
    "mentoring.no_sessions": "You have no {which} sessions.",
}
