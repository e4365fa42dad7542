"""What the marketplace tells the rest of Guildhall: completed orders and ratings."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.activity import Activity, CounterMove, activity, counter
from domain.core.ids import MemberId

SALES_COMPLETED = counter("sales_completed", "orders completed as the seller")
ORDERS_COMPLETED = counter("orders_completed", "marketplace orders completed, bought or sold")
FIVE_STAR_ORDERS = counter("five_star_orders", "five-star ratings received as a seller")


@activity("market_order_completed", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCompleted(Activity):
    """The member (the seller) was paid for order `order_id` by `buyer_id`."""

    order_id: int
    buyer_id: int
    price: int

    def counter_moves(self) -> list[CounterMove]:
        return [
            CounterMove(self.member_id, SALES_COMPLETED, 1),
            CounterMove(self.member_id, ORDERS_COMPLETED, 1),
            CounterMove(MemberId(self.buyer_id), ORDERS_COMPLETED, 1),
        ]


@activity("market_order_rated", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRated(Activity):
    """The member (the buyer) rated order `order_id` of `seller_id` with `stars`."""

    order_id: int
    seller_id: int
    stars: int

    def counter_moves(self) -> list[CounterMove]:
        if self.stars != 5:
            return []
        return [CounterMove(MemberId(self.seller_id), FIVE_STAR_ORDERS, 1)]
