"""Slack reaction names ↔ the emojis reaction rules are declared with.

Slack sends reactions by name ("thumbsup", "+1", "tada::skin-tone-2");
cogs declare rules with the emoji itself ("👍"). This table covers the
emojis communities vote and react with; an unknown name is passed on as
":name:" so a rule may also be declared with a Slack custom emoji.
"""

from __future__ import annotations

_NAMES: dict[str, str] = {
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "negative_squared_cross_mark": "❎",
    "raised_hand": "✋",
    "hand": "✋",
    "shrug": "🤷",
    "eyes": "👀",
    "tada": "🎉",
    "heart": "❤️",
    "fire": "🔥",
    "star": "⭐",
    "rocket": "🚀",
    "clap": "👏",
    "pray": "🙏",
    "100": "💯",
    "joy": "😂",
    "smile": "😄",
    "thinking_face": "🤔",
    "warning": "⚠️",
    "no_entry_sign": "🚫",
    "question": "❓",
    "grey_question": "❔",
    "exclamation": "❗",
    "zero": "0️⃣",
    "one": "1️⃣",
    "two": "2️⃣",
    "three": "3️⃣",
    "four": "4️⃣",
    "five": "5️⃣",
    "six": "6️⃣",
    "seven": "7️⃣",
    "eight": "8️⃣",
    "nine": "9️⃣",
    "keycap_ten": "🔟",
    "arrow_up": "⬆️",
    "arrow_down": "⬇️",
    "ballot_box_with_check": "☑️",
    "trophy": "🏆",
    "medal": "🏅",
    "sparkles": "✨",
    "bulb": "💡",
}
_EMOJIS: dict[str, str] = {}
for _name, _emoji in _NAMES.items():
    _EMOJIS.setdefault(_emoji, _name)


def from_slack(name: str) -> str:
    """The emoji for a Slack reaction name; skin tones do not change the meaning."""
    base = name.split("::", 1)[0].strip(":")
    return _NAMES.get(base, f":{base}:")


def to_slack(emoji: str) -> str | None:
    """The Slack name for an emoji (for reactions.add and docs), if we know it."""
    if emoji.startswith(":") and emoji.endswith(":") and len(emoji) > 2:
        return emoji[1:-1]
    bare = emoji.rstrip("\ufe0f")
    return _EMOJIS.get(emoji) or _EMOJIS.get(bare + "\ufe0f") or _EMOJIS.get(bare)
