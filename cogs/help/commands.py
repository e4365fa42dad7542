"""Help handler: every command with its usage, generated from the registry."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Call, Command, Permission, Registry, Reply
from cogs.kit import messages as words

GROUP_INLINE_MAX = 8
"""A group with more commands than this is one line of the overview."""


@dataclass(frozen=True, slots=True)
class HelpOptions:
    """Options of /help."""

    command: str | None


async def help_(registry: Registry, call: Call, o: HelpOptions) -> Reply:
    """List the commands the caller may use, or explain one with its options and examples."""
    visible = [
        c for c in registry.commands if c.permission is Permission.MEMBER or call.is_moderator
    ]
    if o.command:
        name = " ".join(o.command.lstrip("/").lower().split())
        matches = [c for c in visible if c.name == name or c.name.startswith(name + " ")]
        if not matches:
            if any(c.name == name or c.name.startswith(name + " ") for c in registry.commands):
                return Reply(text=words.text("help.moderators_only", name=name))
            return Reply(text=words.text("help.unknown", name=name))
        lines = []
        for c in matches:
            lines.append(f"`{c.usage}` — {c.description}")
            lines.extend(f"  • **{opt.name}**: {opt.description}" for opt in c.options)
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
