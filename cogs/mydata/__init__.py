"""The member's data: /mydata export|delete, and moderators' /admin member delete."""

from __future__ import annotations

from cogs.kit import Action, Cog, CogContext, Command, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.mydata import commands as c
from cogs.mydata import messages as _messages
from domain.mydata import MyDataService
from domain.mydata.importer import Importer
from domain.progress import ProgressService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the data service and the importer that `guildhall import` uses; add the cog."""
    ctx.provide(MyDataService, MyDataService(ctx.clock))
    # The CLI's `guildhall import` asks the wired app for this (bot/community_cli.py).
    ctx.provide(Importer, Importer(ctx.clock, ctx.identity, ctx.points, ctx.maybe(ProgressService)))
    registry.add(cog())


def cog() -> Cog:
    """Declare /mydata export|delete, /admin member delete and the Erase / Keep buttons."""
    return Cog(
        name="mydata",
        commands=[
            Command(
                "mydata export",
                "Get everything stored about you, as a JSON file by direct message",
                c.export,
                visibility=Visibility.EPHEMERAL,
            ),
            typed.command(
                "mydata delete",
                "Erase your personal data (asks first)",
                c.delete,
                options=(
                    opt.choice(
                        "confirm", "Type yes to skip the question", ("yes",), required=False
                    ),
                ),
                visibility=Visibility.EPHEMERAL,
                examples=("/mydata delete", "/mydata delete yes"),
            ),
            typed.command(
                "admin member delete",
                "Erase a member's personal data (a data-deletion request)",
                c.admin_delete,
                options=(
                    opt.member("member", "Whose data to erase"),
                    opt.string("reason", "Why (kept in the audit log)", max_length=300, rest=True),
                ),
                permission=Permission.MODERATOR,
                visibility=Visibility.EPHEMERAL,
            ),
        ],
        actions=[
            Action("mydata.erase", c.erase_self),
            Action("mydata.keep", c.keep, writes=False),
        ],
    )
