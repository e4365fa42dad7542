"""Modals for `long` options: ask for paragraph text the member left out.

The form is stateless whenever it can be: the command's text options become
the form's inputs (what was typed already is filled in) and its other values
(numbers, choices, durations, members) travel in the modal's custom_id, so a
form opened before a restart still works after it. Only when that does not
fit in Discord's 100-character custom_id are the values kept in memory, and a
submission after a restart is then answered "expired".
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import discord

from cogs.kit import Command, Option, OptionType, Registry

FORM_PREFIX = "gh.form:"  # values in the custom_id
MEMORY_PREFIX = "gh.modal:"  # values in `FormMemory`
CUSTOM_ID_MAX = 100
INPUTS_MAX = 5  # Discord: text inputs per modal
TITLE_MAX, LABEL_MAX, INPUT_MAX = 45, 45, 4000
MEMORY_TTL = 15 * 60  # seconds; an interaction token's lifetime


def missing_long(command: Command, values: dict[str, Any]) -> tuple[Option, ...]:
    """Required paragraph options the member left out of the slash command."""
    return tuple(
        o
        for o in command.options
        if o.long and o.required and o.type is OptionType.STRING and not values.get(o.name)
    )


@dataclass
class _Remembered:
    command: Command
    values: dict[str, Any]
    inputs: tuple[Option, ...]
    expires: float = field(default_factory=lambda: time.monotonic() + MEMORY_TTL)


class FormMemory:
    """The fallback for forms whose values do not fit in a custom_id."""

    def __init__(self) -> None:
        self._forms: dict[str, _Remembered] = {}

    def keep(
        self, key: str, command: Command, values: dict[str, Any], inputs: tuple[Option, ...]
    ) -> str:
        now = time.monotonic()
        for old in [k for k, f in self._forms.items() if f.expires < now]:
            del self._forms[old]
        custom_id = f"{MEMORY_PREFIX}{key}"
        self._forms[custom_id] = _Remembered(command, dict(values), inputs)
        return custom_id

    def take(self, custom_id: str) -> tuple[Command, dict[str, Any], tuple[Option, ...]] | None:
        form = self._forms.pop(custom_id, None)
        return (form.command, form.values, form.inputs) if form else None


class _Form(discord.ui.Modal):
    """A modal whose submission the adapter routes by custom_id."""

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None


def _wire(value: Any) -> Any:
    """A value as it can travel in a custom_id (members as mentions the runner parses)."""
    if isinstance(value, discord.abc.User | discord.Object):
        return f"<@{value.id}>"
    return value


def build(
    command: Command, values: dict[str, Any], memory: FormMemory, key: str
) -> discord.ui.Modal:
    """The modal for `command`, stateless when the values fit in its custom_id."""
    texts = tuple(o for o in command.options if o.type is OptionType.STRING)
    scalars = {
        o.name: _wire(values[o.name])
        for o in command.options
        if o.type is not OptionType.STRING and values.get(o.name) is not None
    }
    custom_id = FORM_PREFIX + command.name + ":" + json.dumps(scalars, separators=(",", ":"))
    if len(texts) <= INPUTS_MAX and len(custom_id) <= CUSTOM_ID_MAX:
        inputs = texts
    else:
        inputs = missing_long(command, values)[:INPUTS_MAX]
        custom_id = memory.keep(key, command, values, inputs)
    form = _Form(title=f"/{command.name}"[:TITLE_MAX], custom_id=custom_id, timeout=MEMORY_TTL)
    for option in inputs:
        given = values.get(option.name)
        form.add_item(
            discord.ui.TextInput(
                label=option.description[:LABEL_MAX],
                custom_id=option.name,
                style=discord.TextStyle.paragraph if option.long else discord.TextStyle.short,
                required=option.required,
                default=str(given)[:INPUT_MAX] if given else None,
                min_length=option.min_length,
                max_length=min(option.max_length or INPUT_MAX, INPUT_MAX),
            )
        )
    return form


def for_button(
    action_id: str, registry: Registry, memory: FormMemory, key: str
) -> discord.ui.Modal | None:
    """The form a button opens (`Action.opens`), its arguments filled in; None for others."""
    action, args = registry.action(action_id)
    command = registry.command(action.opens) if action and action.opens else None
    if command is None:
        return None
    values = {o.name: value for o, value in zip(command.options, args, strict=False)}
    return build(command, values, memory, key=key)


def read(
    data: dict[str, Any], registry: Registry, memory: FormMemory
) -> tuple[Command, dict[str, Any]] | None:
    """The command and its values from a submission; None if the form is unknown."""
    custom_id = str(data.get("custom_id", ""))
    typed = _typed(data.get("components", []))
    if custom_id.startswith(FORM_PREFIX):
        name, _, encoded = custom_id[len(FORM_PREFIX) :].partition(":")
        command = registry.command(name)
        if command is None:
            return None
        try:
            values: dict[str, Any] = dict(json.loads(encoded or "{}"))
        except (ValueError, TypeError):
            return None
        inputs = tuple(o for o in command.options if o.type is OptionType.STRING)
    else:
        remembered = memory.take(custom_id)
        if remembered is None:
            return None
        command, values, inputs = remembered
    for option in inputs:
        text = typed.get(option.name, "")
        values[option.name] = text if text.strip() else None
    return command, values


def _typed(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Text inputs of a submission (inside action rows, or label components)."""
    out: dict[str, str] = {}
    stack = list(rows)
    while stack:
        item = stack.pop()
        stack.extend(item.get("components", []))
        if "component" in item:
            stack.append(item["component"])
        if item.get("type") == 4 and "custom_id" in item:
            out[str(item["custom_id"])] = str(item.get("value", ""))
    return out
