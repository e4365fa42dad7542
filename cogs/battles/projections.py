"""What battles derive from `battle_finished`: the battle board.

The board ranks Elo on the all-time season and wins on week and month
seasons (the leaderboards' running totals, `BoardRepository`). It uses the
current activity bus (handlers run in the finishing transaction) and lives
in this one module so it converts to typed projections in one place.
"""

from __future__ import annotations

from cogs.kit import CogContext
from domain.battles.activities import BATTLE_FINISHED
from domain.core.activity import Activity
from domain.core.uow import UnitOfWork
from domain.identity.repository import IdentityRepository
from domain.leaderboards import periods
from domain.leaderboards.model import Board, Period
from domain.leaderboards.repository import BoardRepository


async def on_battle_finished(uow: UnitOfWork, activity: Activity) -> None:
    """Move the member's rating (all time) and wins (this week and month) on the board."""
    community = await uow.get(IdentityRepository).get_community(activity.community_id)
    if community is None:  # pragma: no cover - activities name existing communities
        return
    keys = periods.all_keys(activity.occurred_at, community.timezone)
    repo = uow.get(BoardRepository)
    rating = int(activity.data["rating_after"])
    held = await repo.score(
        activity.community_id, Board.BATTLE, keys[Period.ALL], activity.member_id
    )
    await repo.add(
        activity.community_id,
        Board.BATTLE,
        [keys[Period.ALL]],
        activity.member_id,
        rating - (held or 0),
        activity.occurred_at,
    )
    await repo.add(
        activity.community_id,
        Board.BATTLE,
        [keys[Period.WEEK], keys[Period.MONTH]],
        activity.member_id,
        1 if activity.data.get("won") else 0,
        activity.occurred_at,
    )


def subscribe(ctx: CogContext) -> None:
    ctx.bus.subscribe(BATTLE_FINISHED, on_battle_finished)
