"""The words of the events feature: refusals, cards, reminders, DMs."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # -- refusals (error codes) ------------------------------------------------------
    "events.not_found": "I couldn't find event #{what}. `/events` shows what's coming up.",
    "events.gone": "That event is not here any more. `/events` shows what's coming up.",
    "events.bad_id": "“{given}” is not an event number: use `3`, or `3.2` for the second date"
    " of a series.",
    "events.when_unclear": "I couldn't read “{given}” as a time. Try `tomorrow 18:00`,"
    " `fri 5pm`, `2026-12-05 19:30` or `in 3 days at noon`.",
    "events.when_ambiguous": "“{given}” could be {first} or {second}. Write the date as"
    " year-month-day, like `2027-02-01 10:00`.",
    "events.when_no_time": "“{given}” is {day}, but at what time? Add one, like `{given} 18:00`.",
    "events.when_past": "“{given}” is {shown}, which has already passed: an event must start"
    " in the future.",
    "events.end_before_start": "An event must end after it starts: I understood the start as"
    " {start} and the end as {end}.",
    "events.signup_after_start": "Sign-up must close before the event starts: it would close"
    " at {closes}, the event starts at {start}.",
    "events.unknown_timezone": "I don't know the time zone “{zone}”: use an IANA name like"
    " `Europe/Berlin` or `America/New_York`.",
    "events.rule_invalid": "I can't use “{rule}” as a repeat: use daily, weekly, biweekly,"
    " monthly or an RRULE like `FREQ=WEEKLY;BYDAY=TU,TH`.",
    "events.rule_too_frequent": "“{rule}” repeats more often than hourly; events may repeat"
    " at most once an hour.",
    "events.create_moderators_only": "Only moderators can create events in this community"
    " (`events.who_can_create`).",
    "events.not_host": "Only the host ({host}) or a moderator can change event #{label}.",
    "events.points_too_high": "An event can pay at most **{maximum}** points for attending"
    " (`events.max_points`), not {points}.",
    "events.cancelled": "Event #{label} “{title}” was cancelled: nothing to answer any more.",
    "events.started": "Event #{label} “{title}” has already started, so RSVPs are closed.",
    "events.signup_closed": "Sign-up for #{label} “{title}” closed at {closes}. You can still"
    " say you can't go.",
    "events.capacity_below_going": "**{going}** members are already going, so the capacity"
    " can't be {capacity}. Raise it, or ask people to drop out first.",
    "events.not_started": "#{label} hasn't started yet ({starts}): attendance can be marked"
    " once it has.",
    "events.checkin_closed": "Check-in for #{label} is open from {opens} until {closes}.",
    "events.not_going": "Only members going to #{label} can check in. Answer with"
    " `/event rsvp {label} going` first.",
    "events.button_out_of_date": "that button is out of date",
    "events.feed_action": "after `/events feed` comes `get` or `reset`, not “{given}”",
    "events.community_only_feed": "`--community` goes with `/events feed`: lists are the"
    " same for everyone",
    "events.bad_page": "“{given}” is not a page number: use `/events upcoming 2`",
    "events.not_a_mention": "“{given}” is not a member mention, like @ana",
    "events.unknown_member": "I don't know a member called **{name}** here yet",
    "events.nothing_to_edit": "Nothing to change on #{label}: give a new `--title`, `--where`"
    " or `--description`.",
    "events.feed_moderators_only": "Only moderators can see or reset the community-wide feed.",
    # -- replies -------------------------------------------------------------------------
    "events.created": "Event created. Members answer with the buttons or `/event rsvp {label}"
    " going`.",
    "events.rsvp.going": "You're going to **{title}** (#{label}). See you there!",
    "events.rsvp.maybe": "You answered maybe for **{title}** (#{label}).",
    "events.rsvp.no": "You answered that you can't go to **{title}** (#{label}).",
    "events.rsvp.waitlisted": "**{title}** (#{label}) is full: you're **#{position}** on the"
    " waitlist. If a place frees up, you're in automatically and I'll tell you by DM.",
    "events.rsvp.unchanged": "Nothing changed: you had already answered {answer}.",
    "events.rsvp.still_waiting": "You're still **#{position}** on the waitlist for"
    " **{title}** (#{label}).",
    "events.edited": "Updated #{label} “{title}”: the cards and calendars follow.",
    "events.capacity_set": "Capacity of #{label} is now **{capacity}**.",
    "events.capacity_promoted": "{count} moved up from the waitlist and were told by DM.",
    "events.cancelled_one": "Cancelled #{label} “{title}” on {when}. {count} told.",
    "events.cancelled_all": "Cancelled the series “{title}” (#{id}): {dates} dates. {count} told.",
    "events.attended": "Marked as attended at #{label}: {names}.",
    "events.attended_already": "Already marked before (nothing paid twice): {names}.",
    "events.checked_in": "Checked in to **{title}** (#{label}).",
    "events.points_paid": "+{points} points each.",
    "events.ical_ready": "Here is #{label} “{title}” for your calendar.",
    "events.feed_url": "Your private calendar feed (events you're going to): {url}\nAdd it as"
    " a subscription in your calendar app. Anyone with this link can see it: reset it with"
    " `/events feed reset`.",
    "events.community_feed_url": "The community's calendar feed (every event): {url}",
    "events.feed_reset": "Your feed link no longer works ({count} revoked). `/events feed`"
    " makes a new one.",
    "events.list_empty": "No events here.",
    # -- what the community sees ----------------------------------------------------------
    "events.card.when": "When",
    "events.card.where": "Where",
    "events.card.repeats": "Repeats",
    "events.card.repeats_value": "{rule} · date {number} of {total}",
    "events.card.going": "Going",
    "events.card.maybe": "Maybe",
    "events.card.waitlist": "Waitlist",
    "events.card.host": "Host",
    "events.card.points": "Attending pays",
    "events.card.signup": "Sign-up closes",
    "events.card.cancelled": "❌ Cancelled",
    "events.card.title": "📅 #{label} · {title}",
    "events.card.title_cancelled": "📅 #{label} · {title} (cancelled)",
    "events.card.footer": "Answer with the buttons or `/event rsvp {label} going|maybe|no`."
    " `/event ical {label}` adds it to your calendar.",
    "events.card.checkin_open": "Check-in is open: going members press **Check in**.",
    "events.button.going": "Going",
    "events.button.maybe": "Maybe",
    "events.button.no": "Can't go",
    "events.button.checkin": "Check in",
    "events.list.title": "Events: {listing}",
    "events.list.footer": "Page {page} of {pages}",
    "events.list.previous": "◀",
    "events.list.next": "▶",
    "events.list.newer": "◀ Newer",
    "events.list.older": "Older ▶",
    "events.native.marker": "Guildhall event #{label}: answer with /event rsvp {label} going",
    "events.native.where": "See the event card",
    "events.list.line": "#{label} · {when} · {going}{capacity} going",
    "events.dm.promoted": "A place opened up: you're now **going** to **{title}** (#{label}),"
    " {when}.",
    "events.dm.cancelled": "**{title}** (#{label}) on {when} was cancelled by the host.",
    "events.dm.cancelled_series": "The series **{title}** (#{id}) was cancelled by the host.",
    "events.dm.reminder": "⏰ **{title}** (#{label}) starts {when}{where}.",
    "events.channel.reminder": "⏰ **{title}** (#{label}) starts {when}{where}: {names}",
    "events.where_suffix": " at {where}",
    "events.in": "in {span}",
    "events.ago": "{span} ago",
    "events.your_answer": "Your answer: **{answer}**.",
    "count.event_members": "{n} member|{n} members",
}
