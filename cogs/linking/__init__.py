"""One community across Discord and Slack: /admin link …, /link and /unlink."""

from __future__ import annotations

from cogs.kit import Action, Cog, CogContext, Command, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.linking import commands as c
from cogs.linking import messages as _messages
from domain.linking import LinkingService
from domain.linking.projection import MergeProjection
from domain.progress import ProgressService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the linking service (with levels when progress is loaded) and add the cog."""
    progress = ctx.maybe(ProgressService)

    def level_for(xp: int) -> tuple[int, int]:
        assert progress is not None
        s = progress.standing_for(xp)
        return s.level, s.tier_index

    levels = level_for if progress else None
    ctx.provide(LinkingService, LinkingService(ctx.clock, ctx.config.linking.code_minutes, levels))
    registry.add_projection(MergeProjection(levels))
    registry.add(cog())


def cog() -> Cog:
    """Declare /admin link start|finish|confirm|status|remove, /link, /unlink and the card."""
    code = opt.string("code", "The link code from the other platform", max_length=20)
    keep = opt.choice("keep", "Whose settings the community keeps", ("here", "there"))
    workspace = opt.string("workspace", "The workspace id (see /admin link status)", max_length=64)
    mod = Permission.MODERATOR
    quiet = Visibility.EPHEMERAL
    return Cog(
        name="linking",
        commands=[
            Command(
                "admin link start",
                "Get a code to link another workspace into this community",
                c.link_start,
                permission=mod,
                visibility=quiet,
            ),
            typed.command(
                "admin link finish",
                "Link this workspace with a code from the other one",
                c.link_finish,
                options=(code,),
                permission=mod,
                visibility=quiet,
                writes=False,
            ),
            typed.command(
                "admin link confirm",
                "Confirm a workspace link (the card's Confirm buttons)",
                c.link_confirm,
                options=(code, keep),
                permission=mod,
                examples=("/admin link confirm K7PQ-2M9X here",),
            ),
            Command(
                "admin link status",
                "Show the workspaces of this community",
                c.link_status,
                permission=mod,
                visibility=quiet,
                writes=False,
            ),
            typed.command(
                "admin link remove",
                "Take a workspace out of this community (its data stays here)",
                c.link_remove,
                options=(workspace,),
                permission=mod,
            ),
            typed.command(
                "link",
                "Link your Discord and Slack accounts into one member",
                c.link,
                options=(
                    opt.string(
                        "code", "The code from your other platform", required=False, max_length=20
                    ),
                ),
                visibility=quiet,
                examples=("/link", "/link K7PQ-2M9X"),
            ),
            Command(
                "unlink",
                "Separate the account you run this from (your history stays)",
                c.unlink,
                visibility=quiet,
            ),
        ],
        actions=[
            Action("link.confirm", c.link_confirm_button, permission=mod),
            Action("link.cancel", c.link_cancel_button, permission=mod, writes=False),
        ],
    )
