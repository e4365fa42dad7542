"""Words of the AI mentor: its friendly failures and the usage report."""

MESSAGES = {
    "mentor_ai.not_set_up": "The AI mentor is not set up in this community — try `/mentors` to"
    " find a person.",
    "mentor_ai.try_again": "The AI mentor couldn't answer just now — please try again in a"
    " minute. (`/mentors` finds a person any time.)",
    "mentor_ai.member_cap": "You've used today's AI mentor allowance; it resets in {wait}."
    " Meanwhile `/mentors` finds a person who can help.",
    "mentor_ai.community_cap": "The community's AI mentor budget for this month is used up; it"
    " resets in {wait}. `/mentors` finds a person who can help.",
    "mentor_ai.too_long": "That question is too long for the AI mentor (the limit is {limit}"
    " characters). Could you shorten it?",
    "mentor_ai.empty": "Ask me anything about this community, e.g. `/ask how do streaks work?`"
    " — `/ask reset` makes me forget our conversation.",
    "mentor_ai.reset": "🧹 Done — I've forgotten our conversation ({n} messages).",
    "mentor_ai.continued": "(continued in your DMs)",
    "mentor_ai.in_progress": "I'm still answering that question — the answer will appear"
    " shortly. No need to ask again.",
}
