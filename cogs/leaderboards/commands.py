"""Leaderboard handler: which board, which period, which past season."""

from __future__ import annotations

from dataclasses import dataclass

from cogs.kit import Call, Reply
from cogs.leaderboards import cards
from domain.leaderboards import Board, LeaderboardService, Period


@dataclass(frozen=True, slots=True)
class LeaderboardOptions:
    """Options of /leaderboard."""

    board: str | None
    period: str | None
    season: str | None


async def leaderboard(call: Call, o: LeaderboardOptions) -> Reply:
    """Top members of a board, the caller's rank and the gap to the next place."""
    section = call.ctx.config.leaderboards
    standings = await call.ctx.need(LeaderboardService).standings(
        call.uow,
        call.community,
        call.member.id,
        Board(o.board or section.default_board),
        Period(o.period or section.default_period),
        o.season,
    )
    return cards.render(call, standings)
