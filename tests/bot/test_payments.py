"""Stripe: the real `stripe` library against a loopback fake, and signed webhooks.

Webhooks are signed exactly as Stripe signs them (`stripe.WebhookSignature`)
with a test secret and posted to our real aiohttp route; the samples come
from shared/payloads/stripe with the fields a real event of ours carries.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import App, build_app
from bot.payments.gateway import StripeGateway
from bot.payments.webhook import PATH, webhook_routes
from bot.web import create_web_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.payments.repository import PaymentsRepository
from domain.payments.service import PaymentsService
from storage.check import ledger_problems
from storage.points import LedgerRow
from tests.bot.payments_helpers import (
    SECRET,
    balance,
    checkout_fake,
    outbox,
    post,
    sample,
    serve_webhook,
)
from tests.conftest import invoke
from tests.helpers_ledger import assert_ledger_sound
from tests.support.progress import member


@pytest.fixture
async def hook(app: App, clock: FixedClock) -> AsyncIterator[TestClient]:
    client = await serve_webhook(app, clock)
    try:
        yield client
    finally:
        await client.close()


async def paid_session(app: App, name: str, session: str = "cs_test_1") -> dict[str, Any]:
    who = await member(app, name)
    event = sample("checkout.session.completed")
    event["id"] = f"evt_{session}"
    obj = event["data"]["object"]
    obj.update(
        id=session,
        payment_status="paid",
        status="complete",
        payment_intent=f"pi_{session}",
        amount_total=500,
        metadata={"community_id": str(who.community_id), "member_id": str(who.id), "pack": "small"},
    )
    return event


async def test_a_paid_checkout_credits_once_however_often_it_is_delivered(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    event = await paid_session(app, "alice")
    assert await post(hook, clock, event) == (200, {"received": True, "outcome": "applied"})
    status, body = await post(hook, clock, event)  # Stripe retries: acknowledged, ignored
    assert (status, body["outcome"]) == (200, "duplicate")
    again = dict(event, id="evt_other_delivery")  # a second event about the same session
    assert (await post(hook, clock, again))[1]["outcome"] == "ignored"
    assert await balance(app, "alice") == 500
    history = await invoke(app, "alice", "points history")
    assert "bought" in history.text
    await assert_ledger_sound(app)


async def test_ten_simultaneous_deliveries_of_one_event_credit_once(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    event = await paid_session(app, "alice")
    answers = await asyncio.gather(*(post(hook, clock, event) for _ in range(10)))
    outcomes = sorted(body["outcome"] for status, body in answers if status == 200)
    assert outcomes == ["applied"] + ["duplicate"] * 9
    assert await balance(app, "alice") == 500
    assert len([r for r in await outbox(app) if r.kind == "payments.receipt"]) == 1
    await assert_ledger_sound(app)


async def test_forged_unsigned_and_stale_requests_are_refused_and_change_nothing(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    event = await paid_session(app, "alice")
    assert (await post(hook, clock, event, secret="whsec_forged"))[0] == 400
    assert (await post(hook, clock, event, age=600))[0] == 400
    unsigned = await hook.post(PATH, data=json.dumps(event))
    assert unsigned.status == 400
    assert await balance(app, "alice") == 0
    assert (await post(hook, clock, event))[1]["outcome"] == "applied"  # the real one still works


async def test_a_refund_after_spending_claws_back_what_is_left_and_records_the_debt(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    await post(hook, clock, await paid_session(app, "alice"))
    await member(app, "bob")
    assert "gave" in (await invoke(app, "alice", "points give", "@bob 400")).text
    refund = sample("charge.refunded")
    refund["data"]["object"].update(payment_intent="pi_cs_test_1", amount=500, amount_refunded=500)
    assert (await post(hook, clock, refund))[1]["outcome"] == "applied"
    assert await balance(app, "alice") == 0 and await balance(app, "bob") == 400
    assert await debt(app, "alice") == 400
    dispute = sample("charge.dispute.created")
    dispute["data"]["object"].update(payment_intent="pi_cs_test_1")
    assert (await post(hook, clock, dispute))[1]["outcome"] == "ignored"  # taken once
    told = {row.kind: row for row in await outbox(app)}
    assert "**500** points are yours" in told["payments.receipt"].payload["text"]
    assert "You still owe **400** points" in told["payments.clawback"].payload["text"]
    assert told["payments.debt"].channel_kind == "moderators"
    await assert_ledger_sound(app)


async def test_a_debt_is_paid_off_by_the_next_points_earned_or_bought(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    await post(hook, clock, await paid_session(app, "alice"))
    await member(app, "bob")
    await invoke(app, "alice", "points give", "@bob 400")
    refund = sample("charge.refunded")
    refund["data"]["object"].update(payment_intent="pi_cs_test_1", amount=500, amount_refunded=500)
    await post(hook, clock, refund)

    checkin = await invoke(app, "alice", "checkin")  # not locked: she still earns...
    assert "10" in checkin.text
    assert (await balance(app, "alice"), await debt(app, "alice")) == (0, 390)  # ...for the debt
    refused = await invoke(app, "alice", "points give", "@bob 5")  # nothing to spend meanwhile
    assert await balance(app, "bob") == 400 and "5" in refused.text

    again = await paid_session(app, "alice", "cs_test_2")
    assert (await post(hook, clock, again))[1]["outcome"] == "applied"
    assert (await balance(app, "alice"), await debt(app, "alice")) == (110, 0)
    settled = [r for r in await outbox(app) if r.kind == "payments.debt_settled"]
    assert len(settled) == 1 and "**390** points" in settled[0].payload["text"]
    await invoke(app, "alice", "checkin")  # debt paid: what she earns now is hers
    assert await debt(app, "alice") == 0
    await assert_ledger_sound(app)


async def test_a_refund_and_a_dispute_arriving_together_take_the_credits_back_once(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    await post(hook, clock, await paid_session(app, "alice"))
    refund = sample("charge.refunded")
    refund["data"]["object"].update(payment_intent="pi_cs_test_1", amount=500, amount_refunded=500)
    dispute = sample("charge.dispute.created")
    dispute["data"]["object"].update(payment_intent="pi_cs_test_1")
    answers = await asyncio.gather(post(hook, clock, refund), post(hook, clock, dispute))
    assert sorted(body["outcome"] for _, body in answers) == ["applied", "ignored"]
    assert await balance(app, "alice") == 0 and await debt(app, "alice") == 0
    await assert_ledger_sound(app)


async def test_db_check_catches_a_settlement_the_ledger_does_not_show(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    await post(hook, clock, await paid_session(app, "alice"))
    await member(app, "bob")
    await invoke(app, "alice", "points give", "@bob 400")
    refund = sample("charge.refunded")
    refund["data"]["object"].update(payment_intent="pi_cs_test_1", amount=500, amount_refunded=500)
    await post(hook, clock, refund)
    await invoke(app, "alice", "checkin")
    await assert_ledger_sound(app)
    alice = await member(app, "alice")
    async with app.uow() as uow:  # a settlement with no ledger debit behind it
        repo = uow.get(PaymentsRepository)
        assert await repo.add_settlement("forged", alice.id, 395, clock.now())
        await uow.commit()
    problems = await ledger_problems(app.database.reader)
    assert f"member {alice.id}: settled 405 of a debt, the ledger says 10" in problems
    assert f"member {alice.id}: settled 405, more than the 400 owed" in problems


async def debt(app: App, name: str) -> int:
    async with app.uow(read_only=True) as uow:
        return await uow.get(PaymentsRepository).debt((await member(app, name)).id)


async def test_a_subscription_deleted_before_it_was_created_stays_cancelled(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    who = await member(app, "alice")
    meta = {"community_id": str(who.community_id), "member_id": str(who.id), "plan": "pro"}
    deleted = sample("customer.subscription.deleted")
    deleted["id"], deleted["created"] = "evt_sub_deleted", 2_000_000_000
    deleted["data"]["object"]["metadata"] = meta
    created = copy.deepcopy(deleted)
    created["id"], created["type"], created["created"] = (
        "evt_sub_created",
        "customer.subscription.created",
        1_999_000_000,
    )
    assert (await post(hook, clock, deleted))[1]["outcome"] == "applied"
    assert (await post(hook, clock, created))[1]["outcome"] == "ignored"
    async with app.uow(read_only=True) as uow:
        premium = await uow.get(PaymentsRepository).premium_of(who.id)
        multiplier = await app.ctx.need(PaymentsService).multiplier(uow, who.id)
    assert premium is not None and premium.status == "canceled" and multiplier == 1.0


async def test_without_a_key_the_commands_say_payments_are_not_set_up(app: App) -> None:
    for line in ("credits buy", "premium plans", "premium manage"):
        assert "not set up" in (await invoke(app, "alice", line)).text


@pytest.fixture
async def fake_stripe() -> AsyncIterator[tuple[str, list[dict[str, str]]]]:
    async with checkout_fake() as served:
        yield served


async def test_credits_buy_makes_a_checkout_session_for_that_member(
    database_url: str,
    config: CommunityConfig,
    clock: FixedClock,
    fake_stripe: tuple[str, list[dict[str, str]]],
) -> None:
    base, received = fake_stripe
    gateway = StripeGateway("sk_test_guildhall", base, config.payments)
    app = await build_app(database_url, config, clock=clock, upgrade=False, payments=gateway)
    try:
        menu = await invoke(app, "alice", "credits buy")
        assert [b.action_id for b in menu.buttons] == ["payments.pack:small", "payments.pack:large"]
        link = await invoke(app, "alice", "credits buy", "small")
        assert "https://pay.test/1" in link.text and link.ephemeral
        alice = await member(app, "alice")
        (sent,) = received
        assert sent["mode"] == "payment"
        assert sent["metadata[member_id]"] == str(alice.id)
        assert sent["metadata[pack]"] == "small"
        assert sent["line_items[0][price_data][unit_amount]"] == "500"
    finally:
        await app.close()


async def test_an_active_premium_plan_multiplies_earned_points_and_says_so_on_the_row(
    database_url: str,
    config: CommunityConfig,
    clock: FixedClock,
    fake_stripe: tuple[str, list[dict[str, str]]],
) -> None:
    gateway = StripeGateway("sk_test_guildhall", fake_stripe[0], config.payments)
    app = await build_app(database_url, config, clock=clock, upgrade=False, payments=gateway)
    routes = webhook_routes(SECRET, app.uow, app.ctx.need(PaymentsService), clock)
    client = TestClient(TestServer(create_web_app(routes), host="127.0.0.1"))
    await client.start_server()
    try:
        who = await member(app, "alice")
        event = sample("customer.subscription.deleted")
        event.update(id="evt_sub_new", type="customer.subscription.created")
        event["created"] = int(clock.now().timestamp())
        sub = event["data"]["object"]
        sub.update(
            status="active",
            metadata={"community_id": str(who.community_id), "member_id": str(who.id)},
        )
        item = sub["items"]["data"][0]
        item["price"]["id"] = "price_pro"  # the Pro plan of the default config: ×1.5
        item["current_period_end"] = int(clock.now().timestamp()) + 30 * 86400
        assert (await post(client, clock, event))[1]["outcome"] == "applied"
        await invoke(app, "alice", "checkin")  # 10 points, ×1.5
        assert await balance(app, "alice") == 15
        async with app.database.reader.connect() as conn:
            rows = (await conn.execute(select(LedgerRow.amount, LedgerRow.multiplier))).all()
        assert [tuple(r) for r in rows] == [(15, 1.5)]
        plans = await invoke(app, "alice", "premium plans")
        assert "You are on **pro**" in plans.text
        await assert_ledger_sound(app)
    finally:
        await client.close()
        await app.close()
