"""What the ledger records: points in, points out, gifts; and the counters they move."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, CounterMove, activity, counter
from domain.core.ids import MemberId

GIFTS_GIVEN = counter("gifts_given", "gifts given")
GIFTS_RECEIVED = counter("gifts_received", "gifts received")
POINTS_EARNED = counter("points_earned", "points earned")


@activity("points_credited", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class PointsCredited(Activity):
    """Points came in; `entry_kind` is the ledger entry's kind ("earned", "gift_in", …)."""

    amount: int
    source: str
    entry_kind: str

    def counters(self) -> Mapping[str, int]:
        return {POINTS_EARNED: self.amount} if self.entry_kind == "earned" else {}


@activity("points_debited", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class PointsDebited(Activity):
    """Points went out other than by a gift (spent, revoked, expired); `amount` is positive."""

    amount: int
    source: str
    entry_kind: str


@activity("points_gifted", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class PointsGifted(Activity):
    """The member gave `amount` points to `receiver_id`."""

    receiver_id: int
    amount: int

    def counter_moves(self) -> list[CounterMove]:
        return [
            CounterMove(self.member_id, GIFTS_GIVEN, 1),
            CounterMove(MemberId(self.receiver_id), GIFTS_RECEIVED, 1),
        ]
