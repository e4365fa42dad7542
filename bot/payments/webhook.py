"""POST /stripe/webhook: verify Stripe's signature, then apply the event once.

Forged, unsigned or stale requests get 400 and change nothing. Staleness is
judged by our clock (the library's own check reads the machine's time), and
a redelivered event is acknowledged with 200 so Stripe stops retrying.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import stripe
from aiohttp import web

from bot.web import Route
from cogs.payments.notices import notices
from domain.core.clock import Clock
from domain.core.uow import UnitOfWorkFactory
from domain.payments.service import PaymentsService

log = logging.getLogger(__name__)
PATH = "/stripe/webhook"
MAX_BODY = 512 * 1024  # Stripe's events are far smaller


def webhook_routes(
    secret: str,
    uow: UnitOfWorkFactory,
    service: PaymentsService,
    clock: Clock,
    tolerance: timedelta = timedelta(minutes=5),
) -> list[Route]:
    """The route the composer adds to the web server when a webhook secret is set."""

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        if len(body) > MAX_BODY:
            return web.json_response({"error": "too large"}, status=413)
        header = request.headers.get("Stripe-Signature")
        try:
            # tolerance=None: the age is checked below against our clock
            stripe.Webhook.construct_event(body, header, secret, tolerance=None)  # type: ignore[arg-type]  # the library checks age when given an int; we pass None to check it ourselves
            stamp = int(dict(p.split("=", 1) for p in (header or "").split(","))["t"])
        except (stripe.SignatureVerificationError, ValueError, KeyError):
            log.warning("stripe webhook: bad signature")
            return web.json_response({"error": "bad signature"}, status=400)
        if abs(clock.now().timestamp() - stamp) > tolerance.total_seconds():
            log.warning("stripe webhook: stale signature")
            return web.json_response({"error": "stale signature"}, status=400)
        event = json.loads(body)
        async with uow() as work:
            applied = await service.apply(work, event)
            for notice in notices(applied, str(event.get("id"))):
                work.announce(notice)  # the receipt and debt notices commit with the event
            await work.commit()
        log.info("stripe webhook %s %s: %s", event.get("type"), event.get("id"), applied.outcome)
        return web.json_response({"received": True, "outcome": applied.outcome})

    return [("POST", PATH, receive)]
