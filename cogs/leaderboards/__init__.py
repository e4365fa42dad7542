"""/leaderboard: points, XP and streak boards for all time, this week and this month."""

from __future__ import annotations

from cogs.kit import Cog, CogContext, Registry, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.leaderboards import commands
from cogs.leaderboards import messages as _messages
from domain.core.contracts import LeaderboardReader, RankReader
from domain.leaderboards import Board, LeaderboardService, Period
from domain.leaderboards.projection import BoardsProjection

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the leaderboard service and readers; keep the boards' totals from activities."""
    section = ctx.config.leaderboards
    service = LeaderboardService(ctx.clock, section.points_kinds, section.page_size)
    ctx.provide(LeaderboardService, service)
    ctx.provide(RankReader, service)
    ctx.provide(LeaderboardReader, service)
    registry.add_projection(BoardsProjection(service))
    registry.add(cog())


def cog() -> Cog:
    """Declare /leaderboard."""
    return Cog(
        name="leaderboards",
        commands=[
            typed.command(
                "leaderboard",
                "Top members by points, XP or streak; your rank and the gap to the next",
                commands.leaderboard,
                options=(
                    opt.choice(
                        "board", "What to rank by", tuple(b.value for b in Board), required=False
                    ),
                    opt.choice(
                        "period",
                        "All time, this week or this month",
                        tuple(p.value for p in Period),
                        required=False,
                    ),
                    opt.string(
                        "season",
                        "A past week (2026-W46) or month (2026-11)",
                        required=False,
                        max_length=10,
                    ),
                ),
                writes=False,
                examples=(
                    "/leaderboard",
                    "/leaderboard xp month",
                    "/leaderboard points week --season 2026-W46",
                ),
            )
        ],
    )
