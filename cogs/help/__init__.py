"""/help: every command with its usage, generated from the registry."""

from __future__ import annotations

from cogs.kit import Call, Cog, CogContext, Command, Permission, Registry, Reply, Visibility
from cogs.kit import messages as words
from cogs.kit import options as opt

words.register(
    {
        "help.moderators_only": "`/{name}` is for moderators.",
        "help.unknown": "No command `/{name}`. Try `/help` for the list.",
        "help.example": "  e.g. `{example}`",
        "help.title": "Guildhall commands",
        "help.footer": "/help <command> for details",
    }
)


def setup(registry: Registry, ctx: CogContext) -> None:
    async def help_(call: Call) -> Reply:
        wanted: str | None = call.options["command"]
        visible = [
            c for c in registry.commands if c.permission is Permission.MEMBER or call.is_moderator
        ]
        if wanted:
            name = " ".join(wanted.lstrip("/").lower().split())
            matches = [c for c in visible if c.name == name or c.name.startswith(name + " ")]
            if not matches:
                if any(c.name == name or c.name.startswith(name + " ") for c in registry.commands):
                    return Reply(text=words.text("help.moderators_only", name=name))
                return Reply(text=words.text("help.unknown", name=name))
            lines = []
            for c in matches:
                lines.append(f"`{c.usage}` — {c.description}")
                lines.extend(f"  • **{o.name}**: {o.description}" for o in c.options)
                lines.extend(words.text("help.example", example=e) for e in c.examples)
            return Reply(title=f"/{name}", text="\n".join(lines))
        lines = [f"`{c.usage}` — {c.description}" for c in visible]
        return Reply(
            title=words.text("help.title"),
            text="\n".join(lines),
            footer=words.text("help.footer"),
        )

    registry.add(
        Cog(
            name="help",
            commands=[
                Command(
                    "help",
                    "List the commands, or explain one",
                    help_,
                    options=(opt.string("command", "A command to explain", required=False),),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                )
            ],
        )
    )
