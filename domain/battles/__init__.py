"""Battles: two members answer one prompt; the community or an AI judge picks the better.

This package imports only its values, config and activities (the config is
read at start, before the ledger): the service is `domain.battles.service`.
"""

from domain.battles import activities  # registers the kind and its counters
from domain.battles.activities import BattleFinished
from domain.battles.config import BattlePrompt, BattlesSection
from domain.battles.model import (
    LIVE,
    Battle,
    BattleId,
    CriterionScore,
    Entry,
    Finished,
    Judge,
    Method,
    Rating,
    Side,
    Status,
    Tally,
    Verdict,
)
from domain.battles.repository import BattleRepository

__all__ = [
    "LIVE",
    "Battle",
    "BattleFinished",
    "BattleId",
    "BattlePrompt",
    "BattleRepository",
    "BattlesSection",
    "CriterionScore",
    "Entry",
    "Finished",
    "Judge",
    "Method",
    "Rating",
    "Side",
    "Status",
    "Tally",
    "Verdict",
    "activities",
]
