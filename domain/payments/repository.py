"""What payments need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.ids import MemberId
from domain.payments.model import Premium, Purchase


class PaymentsRepository(Protocol):
    """Storage of webhook events, credit purchases, clawbacks and premium subscriptions."""

    async def claim_event(self, event_id: str, kind: str, now: datetime) -> bool:
        """Record a webhook event id; False when it was seen before (apply it once)."""
        ...

    async def add_purchase(self, purchase: Purchase, now: datetime) -> bool:
        """Store a paid session; False when the session was stored before."""
        ...

    async def purchase_by_payment_intent(self, payment_intent: str) -> Purchase | None: ...

    async def clawed(self, session_id: str) -> int:
        """Credits already taken back or recorded as debt for this purchase."""
        ...

    async def add_clawback(
        self, session_id: str, member_id: MemberId, taken: int, debt: int, key: str, now: datetime
    ) -> bool:
        """Record a clawback once per key."""
        ...

    async def debt(self, member_id: MemberId) -> int:
        """What the member still owes: recorded debts less what later credits paid off."""
        ...

    async def debts(self, member_ids: Sequence[MemberId]) -> dict[MemberId, int]:
        """The outstanding debt of each of these members who owes something."""
        ...

    async def add_settlement(
        self, key: str, member_id: MemberId, amount: int, now: datetime
    ) -> bool:
        """Record `amount` of a debt paid off, once per key; False if the key was seen."""
        ...

    async def premium(self, subscription_id: str) -> Premium | None: ...

    async def premium_of(self, member_id: MemberId) -> Premium | None:
        """The member's most recent subscription."""
        ...

    async def save_premium(self, premium: Premium, customer_id: str | None) -> None: ...

    async def customer_of(self, member_id: MemberId) -> str | None: ...
