"""Build discord.py's app-command tree from the command registry.

Each top-level name becomes a slash command or an `app_commands.Group`
(with subcommand groups for three-word commands); options keep their types,
descriptions, choices, limits and autocomplete. Every callback hands the
interaction to one function, the adapter, so the tree holds no behaviour.

A `long` option is offered as optional even when the command needs it: a
member who leaves it out gets a modal with a paragraph box instead.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.discord.permissions import MODERATOR_PERMISSIONS
from cogs.kit import Command, Option, OptionType, Permission, Registry

CommandCallback = Callable[[discord.Interaction, Command, dict[str, Any]], Awaitable[None]]
AutocompleteCallback = Callable[
    [discord.Interaction, Option, str], Awaitable[list[app_commands.Choice[Any]]]
]

STRING_MAX = 6000  # Discord: longest string option value


def discord_required(option: Option) -> bool:
    """Required on Discord; a `long` option is asked for in a modal when left out."""
    return option.required and not option.long


def _annotation(option: Option) -> Any:
    match option.type:
        case OptionType.INTEGER:
            if option.min_value is None and option.max_value is None:
                return int
            return app_commands.Range[int, option.min_value, option.max_value]
        case OptionType.BOOLEAN:
            return bool
        case OptionType.MEMBER:
            return discord.Member | discord.User
        case OptionType.STRING:
            low = option.min_length or None
            high = min(option.max_length, STRING_MAX) if option.max_length else None
            return str if low is None and high is None else app_commands.Range[str, low, high]
        case _:  # choice, duration: text the runner parses
            return str


def _param_name(option: Option) -> str:
    name = option.name.replace("-", "_")
    return name if name.isidentifier() and not keyword.iskeyword(name) else f"opt_{name}"


def build_command(
    command: Command,
    name: str,
    on_command: CommandCallback,
    on_autocomplete: AutocompleteCallback,
) -> app_commands.Command[Any, ..., Any]:
    """One slash (sub)command whose callback forwards to `on_command`."""
    by_param = {_param_name(o): o for o in command.options}

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        named = {by_param[k].name: v for k, v in values.items() if k in by_param}
        await on_command(interaction, command, named)

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, str] = {}
    renames: dict[str, str] = {}
    choices: dict[str, list[app_commands.Choice[str]]] = {}
    autocompletes: dict[str, Any] = {}
    for pname, option in by_param.items():
        params.append(
            inspect.Parameter(
                pname,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if discord_required(option) else None,
            )
        )
        descriptions[pname] = option.description
        if pname != option.name:
            renames[pname] = option.name
        if option.type is OptionType.CHOICE:
            choices[pname] = [app_commands.Choice(name=c, value=c) for c in option.choices[:25]]
        elif option.autocomplete:
            autocompletes[pname] = _autocomplete(option, on_autocomplete)
    # discord.py reads a callback's parameters from these function attributes
    # (what its decorators would set); a function keeps them in its __dict__.
    attributes = callback.__dict__
    attributes["__signature__"] = inspect.Signature(params)
    attributes["__discord_app_commands_param_description__"] = descriptions
    if renames:
        attributes["__discord_app_commands_param_rename__"] = renames
    if choices:
        attributes["__discord_app_commands_param_choices__"] = choices
    if autocompletes:
        attributes["__discord_app_commands_param_autocomplete__"] = autocompletes
    return app_commands.Command(
        name=name, description=command.description, callback=callback, extras={"guildhall": command}
    )


def _autocomplete(option: Option, on_autocomplete: AutocompleteCallback) -> Any:
    async def suggest(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[Any]]:
        return await on_autocomplete(interaction, option, current)

    return suggest


def _group_description(name: str) -> str:
    return f"{name.capitalize()} commands"[:100]


def build_tree(
    client: discord.Client,
    registry: Registry,
    on_command: CommandCallback,
    on_autocomplete: AutocompleteCallback,
) -> app_commands.CommandTree[Any]:
    """The whole tree: one entry per top-level name, guild-only.

    Discord only applies `default_member_permissions` to top-level entries, so
    a group is hidden from members only when every command in it is for
    moderators; the runner refuses moderator commands to members either way.
    """
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    for top, commands in registry.groups().items():
        moderators_only = all(c.permission is Permission.MODERATOR for c in commands)
        perms = MODERATOR_PERMISSIONS if moderators_only else None
        if len(commands) == 1 and commands[0].name == top:
            entry: Any = build_command(commands[0], top, on_command, on_autocomplete)
            entry.default_permissions = perms
            app_commands.guild_only(entry)
        else:
            entry = app_commands.Group(
                name=top,
                description=_group_description(top),
                default_permissions=perms,
                guild_only=True,
            )
            app_commands.guild_only(entry)  # "contexts": [guild], like single commands
            subgroups: dict[str, app_commands.Group] = {}
            for c in commands:
                path = c.path
                if len(path) == 2:
                    entry.add_command(build_command(c, path[1], on_command, on_autocomplete))
                    continue
                sub = subgroups.get(path[1])
                if sub is None:
                    sub = app_commands.Group(name=path[1], description=_group_description(path[1]))
                    subgroups[path[1]] = sub
                    entry.add_command(sub)
                sub.add_command(build_command(c, path[2], on_command, on_autocomplete))
        tree.add_command(entry)
    return tree


def tree_payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """The JSON that `sync` sends to Discord, in a stable order."""
    return sorted((c.to_dict(tree) for c in tree.get_commands()), key=lambda c: c["name"])
