"""Command and option descriptions belong to the message catalogue too.

Members read them in `/help`, Discord's command picker, Slack's manifest and
the dashboard's forms, so a community must be able to reword or translate
them like any other words. Each cog declares its descriptions in English
beside the command (where a reader of the code needs them); `register_declared`
files them as the shipped words under `command.<name>` and
`command.<name>.<option>`, and once the community's override file is read
`reword` gives the registry's commands the words in use.
"""

from __future__ import annotations

import dataclasses

from cogs.kit import messages
from cogs.kit.command import DESCRIPTION_MAX, Command
from cogs.kit.options import Option
from cogs.kit.registry import Registry


def code_of(command: Command, option: Option | None = None) -> str:
    """The catalogue code of a command's description, or of one of its options'."""
    base = f"{messages.COMMAND_PREFIX}{command.name}"
    return f"{base}.{option.name}" if option is not None else base


def register_declared(registry: Registry) -> None:
    """File every declared description as the shipped words of its code."""
    words: dict[str, str] = {}
    for command in registry.commands:
        words[code_of(command)] = command.description
        for option in command.options:
            words[code_of(command, option)] = option.description
    messages.declare_commands(words)


def reword(registry: Registry) -> None:
    """Give every command and option the catalogue's words in use (overrides included).

    Raises:
        messages.OverrideError: an override makes a description empty or longer
            than Discord and Slack allow.
    """
    words = messages.catalogue()
    problems = [
        f"  {code}: no such command or option (see /help for the names)"
        for code in sorted(words)
        if code.startswith(messages.COMMAND_PREFIX) and not messages.has(code)
    ]

    def worded(code: str) -> str:
        text = words[code]
        if not 1 <= len(text) <= DESCRIPTION_MAX:
            problems.append(f"  {code}: a description is 1 to {DESCRIPTION_MAX} characters")
        return text

    changed = []
    for command in registry.commands:
        options = tuple(
            dataclasses.replace(o, description=worded(code_of(command, o))) for o in command.options
        )
        described = worded(code_of(command))
        if described != command.description or options != command.options:
            changed.append(dataclasses.replace(command, description=described, options=options))
    if problems:
        raise messages.OverrideError("\n".join(["descriptions that cannot be used:", *problems]))
    registry.replace_commands(changed)
