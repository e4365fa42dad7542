"""The points ledger: append-only entries and a balance cached beside them."""

from domain.points.errors import (
    GiftToSelfError,
    InsufficientPointsError,
    NonPositiveAmountError,
)
from domain.points.model import EntryKind, GiftResult, LedgerEntry, NewEntry
from domain.points.repository import LedgerRepository
from domain.points.service import PointsService

__all__ = [
    "EntryKind",
    "GiftResult",
    "GiftToSelfError",
    "InsufficientPointsError",
    "LedgerEntry",
    "LedgerRepository",
    "NewEntry",
    "NonPositiveAmountError",
    "PointsService",
]
