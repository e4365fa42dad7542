"""A Stripe for the payments tests: localstripe on 127.0.0.1, plus the pieces it lacks.

`localstripe` (PyPI) serves customers, plans, payment intents, invoices and
subscriptions, and posts real signed webhooks (`t=…,v1=HMAC-SHA256`, the
scheme `stripe.Webhook.construct_event` verifies) to the endpoints registered
at `/_config/webhooks/{id}`. It has no Checkout Sessions, no Billing Portal and
sends neither `customer.subscription.updated` nor `charge.refunded`, so this
module adds them:

- `POST /v1/checkout/sessions` and `POST /v1/billing_portal/sessions`, as the
  real API answers them (a portal session needs an existing customer: 404 else);
- `POST /_config/checkout/{id}/complete`: the member pays on the hosted page.
  A payment-mode session gets a confirmed PaymentIntent; a subscription-mode
  session gets a customer with a card and a subscription (localstripe then
  sends `invoice.*` and `customer.subscription.created`); both end with a
  signed `checkout.session.completed`, through localstripe's own sender;
- a `customer.subscription.updated` event after every subscription update, and
  `charge.refunded` (with the charge) after every refund;
- `POST /_config/clock`: the time localstripe stamps on objects and events, so
  a test's fixed clock and Stripe's signatures agree (nothing reads the
  machine's time).

Run it as a process of its own: `python -m tests.fakes.stripe_server PORT`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from localstripe import resources, webhooks  # type: ignore[import-untyped]  # ships no types
from localstripe.resources import (  # type: ignore[import-untyped]
    Charge,
    Customer,
    Event,
    PaymentIntent,
    Refund,
    Subscription,
)
from localstripe.server import app, get_post_data, json_response  # type: ignore[import-untyped]


class _Clock:
    """Stands in for the `time` module inside localstripe: the test sets the time."""

    def __init__(self) -> None:
        self.now = 1_700_000_000

    def time(self) -> float:
        return float(self.now)


CLOCK = _Clock()
resources.time = CLOCK
resources.store.dump_to_disk = lambda: None  # keep it in memory, as a test wants


async def _soon(_seconds: float) -> None:
    await asyncio.sleep(0.05)  # localstripe waits a second before each webhook


webhooks.asyncio = SimpleNamespace(sleep=_soon, ensure_future=asyncio.ensure_future)

SESSIONS: dict[str, dict[str, Any]] = {}


class _Raw:
    """A plain dict as localstripe's `Event` wants its object: something with `_export()`."""

    def __init__(self, obj: dict[str, Any]) -> None:
        self._obj = obj

    def _export(self, **_: Any) -> dict[str, Any]:
        return dict(self._obj)


def _send(kind: str, obj: dict[str, Any]) -> None:
    webhooks.schedule_webhook(Event(kind, _Raw(obj)))


def _base(request: web.Request) -> str:
    return f"http://{request.host}"


def _amount(items: list[dict[str, Any]]) -> int:
    total = 0
    for item in items:
        price = item.get("price_data") or {}
        total += int(price.get("unit_amount") or 0) * int(item.get("quantity") or 1)
    return total


async def create_session(request: web.Request) -> web.Response:
    """`POST /v1/checkout/sessions`: an open session with its hosted page's URL."""
    data = await get_post_data(request) or {}
    items = list(data.get("line_items") or [])
    if data.get("mode") not in ("payment", "subscription") or not items:
        return json_response({"error": {"type": "invalid_request_error"}}, status=400)
    session_id = "cs_test_" + secrets.token_hex(12)
    session = {
        "id": session_id,
        "object": "checkout.session",
        "mode": data["mode"],
        "status": "open",
        "payment_status": "unpaid",
        "url": f"{_base(request)}/pay/{session_id}",
        "metadata": data.get("metadata") or {},
        "client_reference_id": data.get("client_reference_id"),
        "customer": data.get("customer"),
        "success_url": data.get("success_url"),
        "cancel_url": data.get("cancel_url"),
        "amount_total": _amount(items),
        "currency": ((items[0].get("price_data") or {}).get("currency")) or "usd",
        "payment_intent": None,
        "subscription": None,
        "created": CLOCK.now,
        "_items": items,
        "_intent_metadata": (data.get("payment_intent_data") or {}).get("metadata") or {},
        "_subscription_metadata": (data.get("subscription_data") or {}).get("metadata") or {},
    }
    SESSIONS[session_id] = session
    return json_response(_public(session))


def _public(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if not k.startswith("_")}


async def complete_session(request: web.Request) -> web.Response:
    """`POST /_config/checkout/{id}/complete`: the member paid; Stripe's objects and events."""
    session = SESSIONS[request.match_info["id"]]
    if session["status"] != "open":
        return json_response({"error": "already completed"}, status=400)
    customer = (
        session["customer"]
        or Customer(
            payment_method="pm_card_visa",
            invoice_settings={"default_payment_method": "pm_card_visa"},
        ).id
    )
    if session["mode"] == "payment":
        intent = PaymentIntent(
            amount=session["amount_total"],
            currency=session["currency"],
            customer=customer,
            payment_method="pm_card_visa",
            metadata=session["_intent_metadata"],
        )
        intent._confirm(on_failure_now=lambda: None)
        session["payment_intent"] = intent.id
    else:
        price = session["_items"][0]["price"]
        sub = Subscription(
            customer=customer,
            items=[{"plan": price}],
            metadata=session["_subscription_metadata"],
        )
        session["subscription"] = sub.id
    session.update(status="complete", payment_status="paid", customer=customer)
    _send("checkout.session.completed", _public(session))
    return json_response(_public(session))


async def portal_session(request: web.Request) -> web.Response:
    """`POST /v1/billing_portal/sessions`: a link to manage an existing customer's billing."""
    data = await get_post_data(request) or {}
    customer = Customer._api_retrieve(str(data.get("customer")))  # 404 when unknown
    portal_id = "bps_" + secrets.token_hex(12)
    return json_response(
        {
            "id": portal_id,
            "object": "billing_portal.session",
            "customer": customer.id,
            "return_url": data.get("return_url"),
            "url": f"{_base(request)}/portal/{portal_id}",
            "created": CLOCK.now,
        }
    )


async def set_clock(request: web.Request) -> web.Response:
    """`POST /_config/clock` with `{"now": unix seconds}`."""
    CLOCK.now = int((await request.json())["now"])
    return web.Response()


@web.middleware
async def missing_events(request: web.Request, handler: Any) -> web.StreamResponse:
    """Send `customer.subscription.updated` and `charge.refunded` as Stripe does."""
    response = await handler(request)
    parts = request.path.strip("/").split("/")
    if request.method != "POST" or response.status != 200 or parts[:1] != ["v1"]:
        return response
    if len(parts) == 3 and parts[1] == "subscriptions":
        sub = Subscription._api_retrieve(parts[2])
        webhooks.schedule_webhook(Event("customer.subscription.updated", sub))
    elif len(parts) == 2 and parts[1] == "refunds":
        refund = Refund._api_retrieve(json.loads(response.body)["id"])  # type: ignore[attr-defined]
        webhooks.schedule_webhook(Event("charge.refunded", Charge._api_retrieve(refund.charge)))
    return response


def build() -> web.Application:
    """localstripe's application with the routes above."""
    app.middlewares.append(missing_events)
    app.router.add_post("/v1/checkout/sessions", create_session)
    app.router.add_post("/v1/billing_portal/sessions", portal_session)
    app.router.add_post("/_config/checkout/{id}/complete", complete_session)
    app.router.add_post("/_config/clock", set_clock)
    return app


def main() -> None:
    """Serve on 127.0.0.1 only."""
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    web.run_app(build(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
