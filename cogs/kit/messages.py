"""The message catalogue: every refusal's words, by error code.

Domain errors carry a code and parameters; the words live here (and in the
`messages.py` of each cog, registered at import), so they are written once,
translated once, and a contract test checks that every code has words.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from cogs.kit.format import human_duration

_MESSAGES: dict[str, str] = {
    "error.generic": "That didn't work.",
    "input.invalid": "{problem}.",
    "input.usage": "{problem}.\nUsage: `{usage}`",
    "input.unknown_command": "I don't know `/{name}`. Try `/help` for the list of commands.",
    "input.member_unknown": "I don't know a member called **{name}** here yet.",
    "permission.moderator_only": "Only moderators can use `/{command}`.",
    "member.locked": "**{name}** is locked by the moderators and can't earn or spend points"
    " ({reason}).",
    "not_found": "I couldn't find {what}.",
    "operation.duplicate": "That was already done — nothing changed.",
    "action.expired": "That button no longer does anything. Run the command again.",
    "count.points": "**{n}** point|**{n}** points",
    "internal": "Something went wrong on our side (ref {ref}). Nothing was changed; please try"
    " again, and tell a moderator if it keeps happening.",
}


def register(messages: Mapping[str, str]) -> None:
    """Add a feature's messages; a code may be registered once."""
    for code, text in messages.items():
        if code in _MESSAGES and _MESSAGES[code] != text:
            raise ValueError(f"message {code!r} registered twice with different words")
        _MESSAGES[code] = text


def has(code: str) -> bool:
    """Tell whether the catalogue has words for `code`."""
    return code in _MESSAGES


def codes() -> set[str]:
    """Return every code the catalogue has words for."""
    return set(_MESSAGES)


def _shown(value: Any) -> Any:
    if isinstance(value, timedelta):
        return human_duration(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value


def count(code: str, n: int, **params: Any) -> str:
    """A counted phrase: the template's "one|many" halves chosen by `n` ("1 point", "5 points").

    Counted words live in the catalogue like every other word, so a handler
    never spells a noun or its plural itself.
    """
    template = _MESSAGES.get(code) or "{n}"
    one, _, many = template.partition("|")
    chosen = one if abs(n) == 1 or not many else many
    return chosen.format(n=n, **{k: _shown(v) for k, v in params.items()})


def text(code: str, **params: Any) -> str:
    """The words for `code`, filled in; a missing parameter shows as "?" rather than failing."""
    template = _MESSAGES.get(code) or _MESSAGES["error.generic"]
    values = {k: _shown(v) for k, v in params.items()}
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    for name in names:
        values.setdefault(name, "?")
    return template.format(**values)
