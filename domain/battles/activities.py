"""What battles tell the rest of Guildhall: one `battle_finished` per fighter, and its counters.

Counters (achievements and quest goals may name them): `battles_fought`,
`battles_won`, `battle_win_streak` (the best run of wins, a best-of counter)
and `battle_giant_slayer` (wins over someone rated at least 200 above).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from domain.battles.model import Battle, Rating
from domain.core.activity import Activity, activity, counter

BATTLES_FOUGHT = counter("battles_fought", "battles fought")
BATTLES_WON = counter("battles_won", "battles won")
BATTLE_WIN_STREAK = counter("battle_win_streak", "battles won in a row", best_of=True)
GIANT_SLAYER = counter("battle_giant_slayer", "battles won against a rating 200+ above")
GIANT_GAP = 200


@activity("battle_finished", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class BattleFinished(Activity):
    """The member's battle `battle_id` ended with a result (not a cancel): won, lost or drawn."""

    battle_id: int
    won: bool
    draw: bool
    rating_before: int
    rating_after: int
    opponent_rating: int
    streak: int  # wins in a row after this battle
    giant_slayer: bool

    def counters(self) -> Mapping[str, int]:
        moved = {BATTLES_FOUGHT: 1}
        if self.won:
            moved[BATTLES_WON] = 1
            moved[BATTLE_WIN_STREAK] = self.streak
        if self.giant_slayer:
            moved[GIANT_SLAYER] = 1
        return moved


def finished(
    battle: Battle, before: Rating, after: Rating, opponent_before: int, at: datetime
) -> BattleFinished:
    """One fighter's view of a finished battle."""
    won = battle.winner_id == before.member_id
    return BattleFinished(
        community_id=battle.community_id,
        member_id=before.member_id,
        key=f"battle:{battle.id}:{before.member_id}",
        occurred_at=at,
        battle_id=int(battle.id),
        won=won,
        draw=battle.winner_id is None,
        rating_before=before.rating,
        rating_after=after.rating,
        opponent_rating=opponent_before,
        streak=after.streak,
        giant_slayer=won and opponent_before - before.rating >= GIANT_GAP,
    )
