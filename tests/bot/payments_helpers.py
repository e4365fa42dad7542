"""Helpers of the Stripe tests: signed webhook posts, the samples, what was queued."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import stripe
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App
from bot.payments.webhook import PATH, webhook_routes
from bot.web import create_web_app
from domain.core.clock import FixedClock
from domain.identity.model import Member
from domain.payments.service import PaymentsService
from storage.outbox import OutboxRow
from tests.support.progress import member

DAY = 86_400
SECRET = "whsec_test_guildhall"
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "stripe"  # from shared/payloads


def sample(name: str) -> dict[str, Any]:
    """A fresh copy of one of Stripe's sample events."""
    return copy.deepcopy(json.loads((SAMPLES / f"{name}.json").read_text()))


async def serve_webhook(app: App, clock: FixedClock) -> TestClient:
    """Our real webhook route on a loopback server (the caller closes it)."""
    routes = webhook_routes(SECRET, app.uow, app.ctx.need(PaymentsService), clock)
    client = TestClient(TestServer(create_web_app(routes), host="127.0.0.1"))
    await client.start_server()
    return client


async def post(
    hook: TestClient,
    clock: FixedClock,
    event: dict[str, Any],
    *,
    secret: str = SECRET,
    age: int = 0,
) -> tuple[int, dict[str, Any]]:
    """Sign `event` the way Stripe does, `age` seconds ago, and post it to the route."""
    body = json.dumps(event)
    stamp = int(clock.now().timestamp()) - age
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=stamp)
    response = await hook.post(PATH, data=body, headers={"Stripe-Signature": header})
    return response.status, await response.json()


async def outbox(app: App, like: str = "payments.%") -> list[Any]:
    """The announcements queued whose kind matches `like`, oldest first."""
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(o).where(o.c.kind.like(like)).order_by(o.c.id))
        return list(rows.all())


async def balance(app: App, name: str) -> int:
    """A member's balance, by name."""
    async with app.uow(read_only=True) as uow:
        return await app.ctx.points.balance(uow, (await member(app, name)).id)


def subscription_event(
    who: Member, kind: str, n: int, clock: FixedClock, *, price: str = "price_pro", **sub: Any
) -> dict[str, Any]:
    """A `customer.subscription.*` event, the n-th of the story (created n seconds in)."""
    event = sample("customer.subscription.deleted")
    now = int(clock.now().timestamp())
    event.update(id=f"evt_sub_{n}", type=f"customer.subscription.{kind}", created=now + n)
    obj = event["data"]["object"]
    obj.update(
        id="sub_alice",
        customer="cus_alice",
        status="active",
        metadata={"community_id": str(who.community_id), "member_id": str(who.id)},
        **sub,
    )
    item = obj["items"]["data"][0]
    item["price"]["id"] = price
    item["current_period_end"] = now + 30 * DAY
    return event


@asynccontextmanager
async def checkout_fake() -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    """A loopback Stripe that creates Checkout Sessions and records what it was sent."""
    received: list[dict[str, str]] = []

    async def sessions(request: web.Request) -> web.Response:
        form = dict(await request.post())
        received.append({k: str(v) for k, v in form.items()})
        n = len(received)
        return web.json_response(
            {"id": f"cs_test_{n}", "object": "checkout.session", "url": f"https://pay.test/{n}"}
        )

    server = web.Application()
    server.router.add_post("/v1/checkout/sessions", sessions)
    test = TestServer(server, host="127.0.0.1")
    await test.start_server()
    try:
        yield str(test.make_url("")).rstrip("/"), received
    finally:
        await test.close()
