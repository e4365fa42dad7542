"""Words of the console adapter's own lines (`/as`, `/press`, `/choose`, `/react`).

Registered in the shared catalogue like a feature's words, so a community's
override file can reword them too.
"""

MESSAGES = {
    "console.not_a_command": "Commands start with / — try /help.",
    "console.try_help": "Try /help.",
    "console.which_one": "Which one? {usages}",
    "console.unknown_command": "I don't know /{name}. Try /help.",
    "console.usage": "Usage: {usage}",
    "console.as.bad_name": "Usage: {usage} — NAME is one word of letters and digits.",
    "console.as.done": "Now acting as {name}.",
    "console.as.done_mod": "Now acting as {name} (moderator).",
    "console.press.none": "The last reply has no buttons.",
    "console.press.usage": "Usage: {usage} with N from 1 to {n}.",
    "console.press.opens": "(opens {url})",
    "console.choose.none": "The last reply has no menu.",
    "console.choose.usage": "Usage: {usage} with one of: {values}.",
    "console.react.none": "There is no card to react to yet.",
    "console.react.ignored": "(reacted {emoji} — nothing counts that here)",
}
