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
    " `2026-12-01 18:00` (your time zone), in the next twelve months.",
    "mentoring.button_out_of_date": "that button is out of date",
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
    # proposing another time
    "mentoring.proposed.mentee": "📅 {mentor} proposed another time for session **#{id}**"
    " ({type}): **{when}**. It's booked — can't make it? `/session cancel {id}` and ask again.",
    "mentoring.proposed.mentor": "📅 Confirmed: session **#{id}** ({type}) with {mentee} is"
    " booked for **{when}**. {mentee} has been told.",
    # comments after a rating
    "mentoring.rated.comment_hint": "Want to add a few words? `/session comment {id}` opens a"
    " comment box.",
    "mentoring.commented": "📝 Thanks — your comment on session **#{id}** is saved.",
    "mentoring.not_rated_yet": "Rate session **#{id}** first (`/session rate {id} <1-5>`), then"
    " add a comment.",
    "mentoring.already_commented": "Session **#{id}** already has your comment — thank you!",
    # listings and moderators
    "mentoring.list.title": "🧭 Mentors",
    "mentoring.list.title_topic": "🧭 Mentors for {topic}",
    "mentoring.list.footer": "Page {page} of {pages} · /mentor request <member> <type> <message>",
    "mentoring.match.title": "🧭 Best matches for {topic}",
    "mentoring.match.footer": "/mentor request <member> <type> <message>",
    "mentoring.sessions.title": "🗓️ Your {which} sessions",
    "mentoring.approved": "✅ {member} is an approved mentor.",
    "mentoring.removed": "{member} no longer appears as a mentor.",
    "mentoring.report.title": "🧭 Mentoring report",
    "mentoring.report.body": "**Low ratings**\n{low}\n\n**No-shows**\n{shows}",
    "mentoring.report.none": "None.",
    "mentoring.someone": "someone",
    # the profile card
    "mentoring.profile.title": "🧭 Mentor: {name}",
    "mentoring.profile.topics": "Topics",
    "mentoring.profile.rating": "Rating",
    "mentoring.profile.completed": "Sessions completed",
    "mentoring.profile.slots": "Open slots",
    "mentoring.profile.slots_value": "{free} of {capacity}",
    "mentoring.profile.availability": "Availability",
    "mentoring.profile.types": "Session types",
    "mentoring.profile.status": "Status",
    "mentoring.profile.paused": "⏸️ paused",
    "mentoring.profile.open": "🟢 open",
    "mentoring.profile.awaiting": "⏳ awaiting approval",
    "mentoring.profile.stars": "{average}★ from {count}",
    "mentoring.profile.no_ratings": "no ratings yet",
    "mentoring.request.title": "🧭 Mentoring request #{id}",
    "mentoring.request.footer": "Or: /session accept {id} · /session decline {id}",
    "mentoring.button.accept": "Accept",
    "mentoring.button.propose": "Propose another time",
    "mentoring.button.decline": "Decline",
    "mentoring.button.comment": "Add a comment",
}
