"""The marketplace: members sell services for points, paid through ledger escrow."""

from domain.market.catalog import Catalog
from domain.market.config import MarketSection
from domain.market.model import (
    Decision,
    Listing,
    ListingId,
    ListingStatus,
    Order,
    OrderId,
    OrderStatus,
    Rating,
    Score,
    Sort,
)
from domain.market.repository import MarketRepository
from domain.market.service import ACCEPT_DUE, CONFIRM_DUE, MarketService

__all__ = [
    "ACCEPT_DUE",
    "CONFIRM_DUE",
    "Catalog",
    "Decision",
    "Listing",
    "ListingId",
    "ListingStatus",
    "MarketRepository",
    "MarketSection",
    "MarketService",
    "Order",
    "OrderId",
    "OrderStatus",
    "Rating",
    "Score",
    "Sort",
]
