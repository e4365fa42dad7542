"""`PaymentGateway` with the `stripe` library (async, aiohttp, base URL from settings)."""

from __future__ import annotations

import logging

import stripe

from domain.core.outside import waiting_outside
from domain.payments.config import Pack, PaymentsSection, Plan
from domain.payments.errors import PaymentProviderError
from domain.payments.model import Buyer, CheckoutLink

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 15


class StripeGateway:
    """Checkout Sessions and Billing Portal sessions; metadata names the community and member."""

    def __init__(self, api_key: str, api_base: str, config: PaymentsSection) -> None:
        self._cfg = config
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base.rstrip("/")},
            http_client=stripe.AIOHTTPClient(timeout=TIMEOUT_SECONDS),
            max_network_retries=2,
        )

    def _meta(self, buyer: Buyer, **more: str) -> dict[str, str]:
        return {
            "community_id": str(buyer.community_id),
            "member_id": str(buyer.member_id),
            **more,
        }

    async def credit_checkout(self, buyer: Buyer, pack: Pack) -> CheckoutLink:
        if pack.stripe_price:
            item: dict[str, object] = {"price": pack.stripe_price, "quantity": 1}
        else:
            item = {
                "quantity": 1,
                "price_data": {
                    "currency": pack.currency,
                    "unit_amount": pack.price_cents,
                    "product_data": {"name": pack.name},
                },
            }
        meta = self._meta(buyer, pack=pack.id)
        return await self._checkout(
            {
                "mode": "payment",
                "line_items": [item],
                "metadata": meta,
                "payment_intent_data": {"metadata": meta},
                "client_reference_id": f"{buyer.community_id}:{buyer.member_id}",
                "success_url": self._cfg.success_url,
                "cancel_url": self._cfg.cancel_url,
            }
        )

    async def subscription_checkout(
        self, buyer: Buyer, plan: Plan, customer_id: str | None
    ) -> CheckoutLink:
        meta = self._meta(buyer, plan=plan.id)
        params: dict[str, object] = {
            "mode": "subscription",
            "line_items": [{"price": plan.stripe_price, "quantity": 1}],
            "metadata": meta,
            "subscription_data": {"metadata": meta},
            "client_reference_id": f"{buyer.community_id}:{buyer.member_id}",
            "success_url": self._cfg.success_url,
            "cancel_url": self._cfg.cancel_url,
        }
        if customer_id:
            params["customer"] = customer_id
        return await self._checkout(params)

    async def billing_portal(self, customer_id: str) -> str:
        try:
            async with waiting_outside():
                session = await self._client.v1.billing_portal.sessions.create_async(
                    {"customer": customer_id, "return_url": self._cfg.success_url}
                )
        except stripe.StripeError as err:
            log.warning("stripe billing portal failed: %s", type(err).__name__)
            raise PaymentProviderError() from None
        return str(session.url)

    async def _checkout(self, params: dict[str, object]) -> CheckoutLink:
        try:
            async with waiting_outside():
                session = await self._client.v1.checkout.sessions.create_async(params)  # type: ignore[arg-type]  # a plain dict of Stripe's documented fields
        except stripe.StripeError as err:
            log.warning("stripe checkout failed: %s", type(err).__name__)
            raise PaymentProviderError() from None
        return CheckoutLink(str(session.id), str(session.url))
