"""/help: every command with its usage, generated from the registry."""

from __future__ import annotations

from functools import partial

from cogs.help import commands
from cogs.kit import Cog, CogContext, Registry, Visibility, typed
from cogs.kit import messages as words
from cogs.kit import options as opt

words.register(
    {
        "help.moderators_only": "`/{name}` is for moderators.",
        "help.unknown": "No command `/{name}`. Try `/help` for the list.",
        "help.example": "  e.g. `{example}`",
        "help.title": "Guildhall commands",
        "help.footer": "/help <command> for details",
        "help.group": "`/{group} …` — {count} commands: `/help {group}` lists them",
    }
)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Register /help; it reads the registry it is added to."""
    registry.add(cog(registry))


def cog(registry: Registry) -> Cog:
    """Declare /help."""
    return Cog(
        name="help",
        commands=[
            typed.command(
                "help",
                "List the commands, or explain one",
                partial(commands.help_, registry),
                options=(opt.string("command", "A command to explain", required=False),),
                visibility=Visibility.EPHEMERAL,
                writes=False,
            )
        ],
    )
