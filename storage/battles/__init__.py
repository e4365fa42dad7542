"""Storage of the battles feature (see `domain.battles`): tables and the repository."""

from storage.battles.repository import SqlBattleRepository
from storage.battles.tables import BattleEntryRow, BattleRatingRow, BattleRow, BattleVoteRow

__all__ = [
    "BattleEntryRow",
    "BattleRatingRow",
    "BattleRow",
    "BattleVoteRow",
    "SqlBattleRepository",
]
