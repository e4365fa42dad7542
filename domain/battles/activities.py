"""What battles tell the rest of Guildhall: one `battle_finished` per fighter.

Kept in one module so it converts to the typed activities API in one place.
Counters it moves (for achievements and quests): `battles_fought`,
`battles_won`, `battle_win_streak` (the best run of wins so far) and
`battle_giant_slayer` (a win over someone rated 200 or more above).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.battles.model import Battle, Rating
from domain.core.activity import Activity

BATTLE_FINISHED = "battle_finished"
GIANT_GAP = 200


def finished(
    battle: Battle,
    before: Rating,
    after: Rating,
    opponent_before: int,
    at: datetime,
) -> Activity:
    """One fighter's view of a finished battle."""
    won = battle.winner_id == before.member_id
    draw = battle.winner_id is None
    return Activity(
        kind=BATTLE_FINISHED,
        community_id=battle.community_id,
        member_id=before.member_id,
        key=f"battle:{battle.id}:{before.member_id}",
        occurred_at=at,
        data={
            "battle_id": int(battle.id),
            "won": won,
            "draw": draw,
            "first": before.battles == 0,
            "rating_before": before.rating,
            "rating_after": after.rating,
            "opponent_rating": opponent_before,
            "streak": after.streak,
            "giant_slayer": won and opponent_before - before.rating >= GIANT_GAP,
        },
    )


def counters(activity: Activity) -> Mapping[str, int]:
    """The member counters a `battle_finished` moves."""
    data = activity.data
    moved = {"battles_fought": 1}
    if data.get("won"):
        moved["battles_won"] = 1
    if data.get("giant_slayer"):
        moved["battle_giant_slayer"] = 1
    return moved
