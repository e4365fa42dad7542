"""The payment provider as the domain sees it; `bot/payments` implements it with `stripe`."""

from __future__ import annotations

from typing import Protocol

from domain.payments.config import Pack, Plan
from domain.payments.model import Buyer, CheckoutLink


class PaymentGateway(Protocol):
    """Create hosted pages; every call has a timeout and raises PaymentProviderError."""

    async def credit_checkout(self, buyer: Buyer, pack: Pack) -> CheckoutLink: ...

    async def subscription_checkout(
        self, buyer: Buyer, plan: Plan, customer_id: str | None
    ) -> CheckoutLink: ...

    async def billing_portal(self, customer_id: str) -> str: ...
