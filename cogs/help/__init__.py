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
        "help.group": "`/{group} …` — {count} commands: `/help {group}` lists them",
    }
)


GROUP_INLINE_MAX = 8


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
        # A big group (the moderators' /admin) is one line, so the list fits one
        # message on every platform (Slack: 3000 characters per section).
        groups: dict[str, list[Command]] = {}
        for c in visible:
            groups.setdefault(c.group, []).append(c)
        lines = []
        for group, members in groups.items():
            if len(members) > GROUP_INLINE_MAX:
                lines.append(words.text("help.group", group=group, count=len(members)))
            else:
                lines.extend(f"`{c.usage}` — {c.description}" for c in members)
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
