"""/achievements: a catalog from config.toml, unlocked automatically and announced."""

from __future__ import annotations

from cogs.achievements import commands
from cogs.achievements.cards import announce
from cogs.achievements.messages import MESSAGES
from cogs.achievements.projections import CommunitySizeProjection, CountersProjection
from cogs.kit import Cog, CogContext, Registry, Visibility, typed
from cogs.kit import messages as words
from cogs.kit import options as opt
from domain.achievements import AchievementService
from domain.core.contracts import AchievementReader

words.register(MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the achievement service; unlock and announce from activities; register the cog."""
    service = AchievementService(ctx.config.achievements)
    ctx.provide(AchievementService, service)
    ctx.provide(AchievementReader, service)

    registry.add_projection(CommunitySizeProjection())
    registry.add_projection(CountersProjection(service, announce))

    registry.add(cog())


def cog() -> Cog:
    """Declare /achievements."""
    return Cog(
        name="achievements",
        commands=[
            typed.command(
                "achievements",
                "Your achievements (or another member's), with how rare each one is",
                commands.achievements,
                options=(opt.member("member", "Whose achievements to show", required=False),),
                visibility=Visibility.EPHEMERAL,
                writes=False,
                examples=("/achievements", "/achievements @ana"),
            )
        ],
    )
