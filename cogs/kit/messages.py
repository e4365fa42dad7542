"""The message catalogue: every word a member reads, by code.

Domain errors carry a code and parameters; the words live here (and in the
`messages.py` of each cog, registered at import), so they are written once,
translated once, and a contract test checks that every code has words.

A community rewords or translates any of them with an override file that
`config.toml` points at (`[community] messages = "words.toml"`; see
`docs/messages.example.toml`). `python -m cogs.kit.export_messages` prints the
whole catalogue as such a file, to start from.
"""

from __future__ import annotations

import json
import string
import tomllib
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cogs.kit.format import human_duration

_MESSAGES: dict[str, str] = {
    "error.generic": "That didn't work.",
    "input.invalid": "{problem}.",
    "input.usage": "{problem}.\nUsage: `{usage}`",
    "input.unknown_command": "I don't know `/{name}`. Try `/help` for the list of commands.",
    "input.member_unknown": "I don't know a member called **@{name}** in this community yet.",
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


_OVERRIDES: dict[str, str] = {}

COMMAND_PREFIX = "command."
"""Codes of command and option descriptions (`command.points give.member`): see declared_words."""


class OverrideError(ValueError):
    """A community's message overrides name an unknown code or a parameter the words lack."""


def register(messages: Mapping[str, str]) -> None:
    """Add a feature's messages; a code may be registered once."""
    for code, text in messages.items():
        if code in _MESSAGES and _MESSAGES[code] != text:
            raise ValueError(f"message {code!r} registered twice with different words")
        _MESSAGES[code] = text


def declare_commands(words: Mapping[str, str]) -> None:
    """File the running app's command and option descriptions (`command.*` codes).

    Unlike feature messages these may differ between two apps in one process:
    a description can name a configured value (a battle's largest stake).
    """
    for code, text in words.items():
        if not code.startswith(COMMAND_PREFIX):
            raise ValueError(f"{code!r} is not a command description code")
        _MESSAGES[code] = text


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def read_overrides(path: Path) -> dict[str, str]:
    """Read a TOML file of overrides: `"checkin.done" = "…"` or nested `[checkin] done = "…"`.

    Every feature's words must be registered first (import the `cogs` packages).

    Raises:
        OverrideError: the file is unreadable, names a code the catalogue lacks,
            or uses a {parameter} the original words do not have.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise OverrideError(f"{path}: {err}") from None
    flat: dict[str, str] = {}

    def walk(prefix: str, node: Mapping[str, Any]) -> None:
        for key, value in node.items():
            code = f"{prefix}.{key}" if prefix else key
            if isinstance(value, Mapping):
                walk(code, value)
            elif isinstance(value, str):
                flat[code] = value
            else:
                raise OverrideError(f"{path}: {code} must be text")

    walk("", data)
    problems = []
    for code, words in sorted(flat.items()):
        if code not in _MESSAGES:
            if code.startswith(COMMAND_PREFIX):  # declared at set-up: checked by `reword`
                continue
            problems.append(f"  {code}: no such message (check its spelling)")
            continue
        try:
            extra = _fields(words) - _fields(_MESSAGES[code])
        except ValueError as err:  # an unbalanced brace
            problems.append(f"  {code}: {err}")
            continue
        if extra:
            problems.append(f"  {code}: unknown parameter {{{', '.join(sorted(extra))}}}")
    if problems:
        raise OverrideError("\n".join([f"{path} has messages that cannot be used:", *problems]))
    return flat


def use_overrides(overrides: Mapping[str, str]) -> None:
    """Replace the community's overrides (an empty mapping restores the shipped words)."""
    _OVERRIDES.clear()
    _OVERRIDES.update(overrides)


def catalogue() -> dict[str, str]:
    """Return every code with the words in use (the shipped words, then the overrides)."""
    return {**_MESSAGES, **_OVERRIDES}


def to_toml(messages: Mapping[str, str]) -> str:
    """Write messages as a TOML file a community can copy and edit as its override."""
    lines = ["# Guildhall's words. Copy the ones to change into your override file."]
    for code in sorted(messages):
        lines.append(f"{json.dumps(code)} = {json.dumps(messages[code], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


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
    template = _OVERRIDES.get(code) or _MESSAGES.get(code) or "{n}"
    one, _, many = template.partition("|")
    chosen = one if abs(n) == 1 or not many else many
    return chosen.format(n=n, **{k: _shown(v) for k, v in params.items()})


def text(code: str, **params: Any) -> str:
    """The words for `code`, filled in; a missing parameter shows as "?" rather than failing."""
    template = _OVERRIDES.get(code) or _MESSAGES.get(code) or _MESSAGES["error.generic"]
    values = {k: _shown(v) for k, v in params.items()}
    for name in _fields(template):
        values.setdefault(name, "?")
    return template.format(**values)
