"""Moderators' tools: /admin audit (the one audit log every feature writes through)."""

from __future__ import annotations

from cogs.kit import Action, Cog, CogContext, Command, Permission, Registry, Visibility
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.moderation import commands as c
from cogs.moderation import messages as _messages

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    registry.add(
        Cog(
            name="moderation",
            commands=[
                Command(
                    "admin audit",
                    "Show moderator actions: who did what, when and why",
                    c.audit,
                    options=(
                        opt.member("member", "Only actions about this member", required=False),
                        opt.string(
                            "kind",
                            "Only this kind, e.g. points.award or points.",
                            required=False,
                            max_length=40,
                        ),
                        opt.integer("page", "Which page", required=False, min_value=1, default=1),
                    ),
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/admin audit", "/admin audit @bob", "/admin audit --kind member."),
                )
            ],
            actions=[
                Action("audit.page", c.audit_button, permission=Permission.MODERATOR, writes=False)
            ],
        )
    )
