"""Battles: two members answer one prompt; the community or an AI judge picks the better."""

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
from domain.battles.results import Results
from domain.battles.service import BattleService
from domain.battles.stakes import StakeEscrow

__all__ = [
    "LIVE",
    "Battle",
    "BattleFinished",
    "BattleId",
    "BattlePrompt",
    "BattleRepository",
    "BattleService",
    "BattlesSection",
    "CriterionScore",
    "Entry",
    "Finished",
    "Judge",
    "Method",
    "Rating",
    "Results",
    "Side",
    "StakeEscrow",
    "Status",
    "Tally",
    "Verdict",
    "activities",
]
