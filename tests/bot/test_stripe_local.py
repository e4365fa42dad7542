"""Payments end to end against localstripe: the real `stripe` client, real signed webhooks.

localstripe runs as its own process on 127.0.0.1 (tests/fakes/stripe_server.py
adds Checkout, the Billing Portal and subscription-update events it lacks).
Our gateway creates sessions on it, the test "pays" on the hosted page, and
the webhooks it signs reach our real route; the member's credits and premium
follow. The fake's clock is set from the test's fixed clock, so its signatures
are fresh by our clock and nothing reads the machine's time.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
import stripe
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import App, build_app
from bot.payments.gateway import StripeGateway
from bot.payments.webhook import PATH
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.contracts import Perks, PerksReader
from storage.payments import StripeEventRow
from tests.bot.payments_helpers import SECRET, balance, outbox, serve_webhook
from tests.conftest import invoke
from tests.helpers_ledger import assert_ledger_sound
from tests.support.progress import member

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk_test_guildhall"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def localstripe() -> Iterator[str]:
    """localstripe (with our additions) in a process of its own, on a loopback port."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.stripe_server", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    problem = proc.stderr.read().decode() if proc.stderr else "died"
                    raise RuntimeError(problem) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Stripe:
    """The test's hands on localstripe: its clock, its plans, paying, managing subscriptions."""

    def __init__(self, base: str, clock: FixedClock, http: aiohttp.ClientSession) -> None:
        self.base = base
        self.clock = clock
        self.http = http
        self.client = stripe.StripeClient(
            KEY, base_addresses={"api": base}, http_client=stripe.AIOHTTPClient()
        )

    async def sync_clock(self) -> None:
        now = int(self.clock.now().timestamp())
        async with self.http.post(f"{self.base}/_config/clock", json={"now": now}) as r:
            assert r.status == 200

    async def later(self, seconds: int) -> None:
        """Time passes for both: our clock and Stripe's."""
        self.clock.advance(timedelta(seconds=seconds))
        await self.sync_clock()

    async def pay(self, url: str) -> dict[str, object]:
        session = url.rsplit("/", 1)[1]
        async with self.http.post(f"{self.base}/_config/checkout/{session}/complete") as r:
            assert r.status == 200, await r.text()
            body: dict[str, object] = await r.json()
            return body


@pytest.fixture
async def world(
    localstripe: str, database_url: str, config: CommunityConfig, clock: FixedClock
) -> AsyncIterator[tuple[App, Stripe]]:
    """An app whose gateway is localstripe, whose webhook localstripe calls, and the plans."""
    gateway = StripeGateway(KEY, localstripe, config.payments)
    app = await build_app(database_url, config, clock=clock, upgrade=False, payments=gateway)
    hook: TestClient = await serve_webhook(app, clock)
    http = aiohttp.ClientSession()
    fake = Stripe(localstripe, clock, http)
    try:
        await fake.sync_clock()
        url = str(hook.make_url(PATH))
        async with http.post(
            f"{localstripe}/_config/webhooks/guildhall", data={"url": url, "secret": SECRET}
        ) as r:
            assert r.status == 200
        for plan in config.payments.plans:
            try:
                await fake.client.v1.plans.retrieve_async(plan.stripe_price)
            except stripe.InvalidRequestError:
                product = await fake.client.v1.products.create_async({"name": plan.name})
                await fake.client.v1.plans.create_async(
                    {
                        "id": plan.stripe_price,
                        "product": product.id,
                        "amount": 900 if plan.id == "pro" else 1900,
                        "currency": "usd",
                        "interval": "month",
                    }  # type: ignore[typeddict-unknown-key]  # localstripe lets a test name its plan
                )
        yield app, fake
    finally:
        await http.close()
        await hook.close()
        await app.close()


async def events(app: App) -> list[str]:
    e = StripeEventRow.__table__
    async with app.database.reader.connect() as conn:
        return [r.kind for r in await conn.execute(select(e.c.kind).order_by(e.c.received_at))]


async def arrived(app: App, kind: str, count: int = 1) -> None:
    """Wait until localstripe's webhook of `kind` was applied `count` times (15 s at most)."""
    for _ in range(750):
        if (await events(app)).count(kind) >= count:
            await app.uow.bus.settle()
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {kind} webhook arrived; got {await events(app)}")


async def perks(app: App, name: str) -> Perks:
    who = await member(app, name)
    async with app.uow(read_only=True) as uow:
        return await app.ctx.need(PerksReader).perks_of(uow, who.id)


async def test_credits_bought_on_stripe_arrive_once_with_a_receipt(
    world: tuple[App, Stripe],
) -> None:
    app, fake = world
    link = await invoke(app, "alice", "credits buy", "small")
    url = link.buttons[0].url
    assert url and url.startswith(fake.base + "/pay/cs_test_") and url in link.text
    assert await balance(app, "alice") == 0  # nothing until Stripe says it is paid
    await fake.later(30)
    paid = await fake.pay(url)
    await arrived(app, "checkout.session.completed")
    assert await balance(app, "alice") == 500
    intent = await fake.client.v1.payment_intents.retrieve_async(str(paid["payment_intent"]))
    assert intent.status == "succeeded" and intent.amount == 500
    assert intent.metadata["member_id"] == str((await member(app, "alice")).id)
    (receipt,) = [r for r in await outbox(app) if r.kind == "payments.receipt"]
    assert "**500** points are yours" in receipt.payload["text"]
    await assert_ledger_sound(app)


async def test_a_refund_on_stripe_after_spending_leaves_a_debt_the_next_credits_pay(
    world: tuple[App, Stripe],
) -> None:
    app, fake = world
    await member(app, "bob")
    link = await invoke(app, "alice", "credits buy", "small")
    await fake.later(30)
    paid = await fake.pay(str(link.buttons[0].url))
    await arrived(app, "checkout.session.completed")
    await invoke(app, "alice", "points give", "@bob 300")
    await fake.later(30)
    await fake.client.v1.refunds.create_async({"payment_intent": str(paid["payment_intent"])})
    await arrived(app, "charge.refunded")
    assert (await balance(app, "alice"), await balance(app, "bob")) == (0, 300)
    (told,) = [r for r in await outbox(app) if r.kind == "payments.clawback"]
    assert "You still owe **300** points" in told.payload["text"]
    await invoke(app, "alice", "checkin")  # 10 earned, all of it to the debt
    assert await balance(app, "alice") == 0
    await assert_ledger_sound(app)


async def test_premium_subscribe_manage_upgrade_and_cancel_on_stripe(
    world: tuple[App, Stripe],
) -> None:
    app, fake = world
    refused = await invoke(app, "alice", "premium manage")
    assert "no premium subscription" in refused.text
    link = await invoke(app, "alice", "premium plans", "pro")
    url = link.buttons[0].url
    assert url and url.startswith(fake.base + "/pay/")
    await fake.later(30)
    session = await fake.pay(url)
    await arrived(app, "customer.subscription.created")
    assert (await perks(app, "alice")).plan == "pro"
    status = await invoke(app, "alice", "premium plans")
    assert "You are on **pro**" in status.text

    portal = await invoke(app, "alice", "premium manage")
    assert portal.buttons[0].url and portal.buttons[0].url.startswith(fake.base + "/portal/bps_")

    # the member upgrades in the portal: Stripe updates the subscription and tells us
    await fake.later(60)
    sub_id = str(session["subscription"])
    sub = await fake.client.v1.subscriptions.retrieve_async(sub_id)
    item = sub["items"]["data"][0]["id"]
    await fake.client.v1.subscriptions.update_async(
        sub_id,
        {"items": [{"id": item, "plan": "price_elite"}]},  # type: ignore[typeddict-item]  # the legacy field localstripe speaks
    )
    await arrived(app, "customer.subscription.updated")
    assert (await perks(app, "alice")).plan == "elite"

    # ...and later cancels it
    await fake.later(60)
    await fake.client.v1.subscriptions.cancel_async(sub_id)
    await arrived(app, "customer.subscription.deleted")
    assert await perks(app, "alice") == Perks()
    roles = [(r.kind, r.payload["fields"][0]["value"]) for r in await outbox(app, "role_%")]
    assert roles == [
        ("role_grant", "Pro"),
        ("role_revoke", "Pro"),
        ("role_grant", "Elite"),
        ("role_revoke", "Elite"),
    ]
    await assert_ledger_sound(app)
