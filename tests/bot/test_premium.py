"""Premium over signed webhooks: subscription created, updated, invoices paid and failed, deleted.

Each step is a signed event posted to the real route; the member's perks (the
`PerksReader` other features read), the multiplier and the role announcements
follow the subscription's state, and a redelivered or older event changes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import App
from domain.core.clock import FixedClock
from domain.core.contracts import Perks, PerksReader
from domain.identity.model import Member
from tests.bot.payments_helpers import (
    DAY,
    outbox,
    post,
    sample,
    serve_webhook,
    subscription_event,
)
from tests.helpers_ledger import assert_ledger_sound
from tests.support.progress import member


@pytest.fixture
async def hook(app: App, clock: FixedClock) -> AsyncIterator[TestClient]:
    client = await serve_webhook(app, clock)
    try:
        yield client
    finally:
        await client.close()


def invoice_event(kind: str, n: int, clock: FixedClock, period_end: int) -> dict[str, Any]:
    """An `invoice.*` event about sub_alice (the subscription under `parent`, as API 2025+)."""
    event = sample("invoice.paid")
    event.update(id=f"evt_inv_{n}", type=f"invoice.{kind}")
    event["created"] = int(clock.now().timestamp()) + n
    obj = event["data"]["object"]
    obj["customer"] = "cus_alice"
    obj["parent"]["subscription_details"]["subscription"] = "sub_alice"
    obj["lines"]["data"][0]["period"]["end"] = period_end
    return event


async def perks(app: App, who: Member) -> Perks:
    async with app.uow(read_only=True) as uow:
        return await app.ctx.need(PerksReader).perks_of(uow, who.id)


async def roles(app: App) -> list[tuple[str, str, str]]:
    """(kind, role, words) of every role announcement queued, oldest first."""
    rows = await outbox(app, "role_%")
    return [(r.kind, r.payload["fields"][0]["value"], r.payload["text"]) for r in rows if r.payload]


async def test_a_subscription_grants_perks_and_a_role_and_follows_its_invoices(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    alice = await member(app, "alice")
    assert await perks(app, alice) == Perks()
    created = subscription_event(alice, "created", 1, clock)
    assert (await post(hook, clock, created))[1]["outcome"] == "applied"
    pro = await perks(app, alice)
    assert (pro.plan, pro.point_multiplier, pro.ai_tokens_multiplier) == ("pro", 1.5, 2.0)
    assert (pro.extra_battles_per_day, pro.extra_mentees) == (2, 1)
    assert (await post(hook, clock, created))[1]["outcome"] == "duplicate"

    end = int(clock.now().timestamp()) + 60 * DAY
    failed = invoice_event("payment_failed", 2, clock, end)
    assert (await post(hook, clock, failed))[1]["outcome"] == "applied"
    assert await perks(app, alice) == Perks()  # past due: no perks until paid

    paid = invoice_event("paid", 3, clock, end)
    assert (await post(hook, clock, paid))[1]["outcome"] == "applied"
    assert (await perks(app, alice)).plan == "pro"
    # an older invoice arriving late changes nothing
    assert (await post(hook, clock, invoice_event("payment_failed", 0, clock, end)))[1][
        "outcome"
    ] == "ignored"
    assert (await perks(app, alice)).plan == "pro"
    told = await roles(app)
    assert [(k, r) for k, r, _ in told] == [
        ("role_grant", "Pro"),
        ("role_revoke", "Pro"),
        ("role_grant", "Pro"),
    ]
    grant, revoke = told[:2]
    assert "Welcome to **Pro**" in grant[2] and "points ×1.5" in grant[2]
    assert "has ended" in revoke[2]
    await assert_ledger_sound(app)


async def test_an_upgrade_moves_the_role_and_a_deletion_ends_the_perks_for_good(
    app: App, hook: TestClient, clock: FixedClock
) -> None:
    alice = await member(app, "alice")
    await post(hook, clock, subscription_event(alice, "created", 1, clock))
    upgrade = subscription_event(alice, "updated", 2, clock, price="price_elite")
    assert (await post(hook, clock, upgrade))[1]["outcome"] == "applied"
    assert (await perks(app, alice)).plan == "elite"
    assert (await perks(app, alice)).point_multiplier == 2.0

    deleted = subscription_event(alice, "deleted", 3, clock, price="price_elite")
    assert (await post(hook, clock, deleted))[1]["outcome"] == "applied"
    assert await perks(app, alice) == Perks()
    late_update = subscription_event(alice, "updated", 4, clock)  # after the end: ignored
    assert (await post(hook, clock, late_update))[1]["outcome"] == "ignored"
    assert await perks(app, alice) == Perks()
    assert [(k, r) for k, r, _ in await roles(app)] == [
        ("role_grant", "Pro"),
        ("role_revoke", "Pro"),
        ("role_grant", "Elite"),
        ("role_revoke", "Elite"),
    ]
