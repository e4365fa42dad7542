"""The marketplace end to end through the runner: listing, escrow, steps, disputes, ratings.

Every test ends with the ledger invariant (balances + escrow + fees = issued).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.market import MarketSection
from tests.cogs.market_helpers import (
    announcements,
    balance,
    buy,
    click,
    counters,
    funded,
    run_deadlines,
    sell,
    unlocked,
)
from tests.conftest import START, invoke
from tests.helpers_ledger import assert_ledger_sound, open_escrow


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(
        market=MarketSection(fee_percent=10, min_price=5, max_price=5000),
        achievements=[  # as shipped in config.toml
            {
                "id": "first-sale",
                "name": "First sale",
                "description": "Complete your first marketplace sale",
                "requires": {"sales_completed": 1},
            },
            {
                "id": "five-stars",
                "name": "Five stars",
                "description": "Receive five five-star marketplace ratings",
                "requires": {"five_star_orders": 5},
            },
        ],
    )


async def test_order_is_paid_into_escrow_and_released_to_the_seller_minus_the_fee(
    app: App,
) -> None:
    lid = await sell(app, "bob", 'resume_review "Resume review" 200 I read it twice --slots 2')
    await funded(app, "alice", 500)
    shown = await invoke(app, "alice", "market show", str(lid))
    assert [b.action_id for b in shown.buttons] == [f"market.buy:{lid}"]
    oid = await buy(app, "alice", lid, "for a data role")
    assert await balance(app, "alice") == 300 and await open_escrow(app) == 200
    (dm,) = await announcements(app, "market.dm")
    assert dm.member_id is not None and "Accept" in str(dm.payload)
    assert [b["action_id"] for b in dm.payload["buttons"]] == [
        f"market.accept:{oid}",
        f"market.decline:{oid}",
    ]

    assert (await click(app, "bob", f"market.accept:{oid}")).tone is Tone.SUCCESS
    assert (await invoke(app, "bob", "market delivered", str(oid))).tone is Tone.SUCCESS
    done = await invoke(app, "alice", "market confirm", str(oid))
    assert done.tone is Tone.SUCCESS, done.text
    assert "**180** points" in done.text and "community fee: **20** points" in done.text
    assert await balance(app, "bob") == 180 and await open_escrow(app) == 0
    again = await invoke(app, "alice", "market confirm", str(oid))  # a second confirm: refused
    assert "is completed" in again.text and await balance(app, "bob") == 180
    assert await unlocked(app, "bob") == ["first-sale"]
    assert (await counters(app, "bob"))["sales_completed"] == 1
    assert (await counters(app, "alice"))["orders_completed"] == 1
    await assert_ledger_sound(app)


async def test_decline_refunds_the_buyer_and_frees_the_slot(app: App) -> None:
    lid = await sell(app, "bob", "mentoring Mentoring 50")
    await funded(app, "alice", 100)
    await funded(app, "carol", 100)
    oid = await buy(app, "alice", lid)
    sold_out = await invoke(app, "carol", "market buy", str(lid))
    assert "Every slot of listing" in sold_out.text
    assert "went back" in (await click(app, "bob", f"market.decline:{oid}")).text
    assert await balance(app, "alice") == 100 and await open_escrow(app) == 0
    await buy(app, "carol", lid)  # the slot is free again
    assert await balance(app, "carol") == 50
    await assert_ledger_sound(app)


async def test_an_unanswered_order_is_refunded_by_the_durable_timer(
    app: App, clock: FixedClock
) -> None:
    lid = await sell(app, "bob", "other Chat 40")
    await funded(app, "alice", 40)
    oid = await buy(app, "alice", lid)
    await run_deadlines(app, START + timedelta(days=2))
    assert await balance(app, "alice") == 0  # not due yet
    clock.set(START + timedelta(days=3, minutes=1))
    await run_deadlines(app, clock.now())
    await run_deadlines(app, clock.now())  # a second sweep refunds nothing twice
    assert await balance(app, "alice") == 40 and await open_escrow(app) == 0
    order = await invoke(app, "alice", "market order", str(oid))
    assert "expired" in str(order.fields)
    dms = [a.payload["text"] for a in await announcements(app, "market.dm")]
    assert any("not accepted in time" in t for t in dms)
    late = await click(app, "bob", f"market.accept:{oid}")
    assert "is expired" in late.text
    await assert_ledger_sound(app)


async def test_an_unconfirmed_delivery_is_released_by_the_durable_timer(
    app: App, clock: FixedClock
) -> None:
    lid = await sell(app, "bob", "pitch_feedback Pitch 100")
    await funded(app, "alice", 100)
    oid = await buy(app, "alice", lid)
    await invoke(app, "bob", "market accept", str(oid))
    delivered = await click(app, "bob", f"market.delivered:{oid}")
    assert delivered.tone is Tone.SUCCESS, delivered.text
    clock.set(START + timedelta(days=7, minutes=1))
    await run_deadlines(app, clock.now())
    assert await balance(app, "bob") == 90 and await open_escrow(app) == 0
    told = [
        a.member_id
        for a in await announcements(app, "market.dm")
        if "not confirmed" in str(a.payload)
    ]
    assert len(told) == 2  # both parties
    await assert_ledger_sound(app)


async def test_a_dispute_freezes_escrow_until_a_moderator_splits_it(
    app: App, clock: FixedClock
) -> None:
    lid = await sell(app, "bob", "interview_coaching Rehearsal 100")
    await funded(app, "alice", 100)
    oid = await buy(app, "alice", lid)
    await invoke(app, "bob", "market accept", str(oid))
    await invoke(app, "bob", "market delivered", str(oid))
    disputed = await invoke(app, "alice", "market dispute", f"{oid} only half of it was done")
    assert disputed.tone is Tone.WARNING, disputed.text
    (card,) = await announcements(app, "market.dispute")
    assert card.channel_kind == "moderators"
    assert [b["action_id"] for b in card.payload["buttons"]] == [
        f"market.rule:{oid}:refund",
        f"market.rule:{oid}:release",
        f"market.rule:{oid}:split:50",
    ]
    clock.set(START + timedelta(days=30))
    await run_deadlines(app, clock.now())  # frozen: no auto-release
    assert await open_escrow(app) == 100
    assert "Only moderators" in (await click(app, "alice", f"market.rule:{oid}:refund")).text
    ruled = await invoke(
        app, "mod", "market resolve", f"{oid} split half was delivered --percent 60", mod=True
    )
    assert ruled.tone is Tone.SUCCESS, ruled.text
    # 60 to the seller minus the 10% fee, 40 back to the buyer
    assert (await balance(app, "bob"), await balance(app, "alice")) == (54, 40)
    again = await click(app, "mod", f"market.rule:{oid}:refund", mod=True)
    assert "is split" in again.text
    order = await invoke(app, "mod", "market order", str(oid), mod=True)
    assert "half was delivered" in str(order.fields)
    await assert_ledger_sound(app)


async def test_ratings_once_per_order_with_one_reply_and_a_bayesian_average(app: App) -> None:
    lid = await sell(app, "bob", "resume_review Review 10 --slots 5")
    await funded(app, "alice", 100)
    oid = await buy(app, "alice", lid)
    early = await invoke(app, "alice", "market rate", f"{oid} 5")
    assert "can't rate" in early.text
    await invoke(app, "bob", "market accept", str(oid))
    await invoke(app, "alice", "market confirm", str(oid))
    rated = await invoke(app, "alice", "market rate", f"{oid} 5 very thorough")
    assert rated.tone is Tone.SUCCESS, rated.text
    assert "already rated" in (await invoke(app, "alice", "market rate", f"{oid} 1")).text
    assert "can do that" in (await invoke(app, "alice", "market reply", f"{oid} hi")).text
    assert (await invoke(app, "bob", "market reply", f"{oid} thank you!")).tone is Tone.SUCCESS
    assert "already replied" in (await invoke(app, "bob", "market reply", f"{oid} x")).text
    shown = await invoke(app, "carol", "market show", str(lid))
    fields = {f.name: f.value for f in shown.fields}
    assert fields["Rating"] == "★ 3.8 (1)"  # (3.5 * 5 + 5) / 6
    assert "thank you!" in fields["Recent ratings"]
    await assert_ledger_sound(app)


async def test_limits_own_listing_locked_members_and_price_bounds(app: App) -> None:
    low = await invoke(app, "bob", "market sell", "other Cheap 4")
    high = await invoke(app, "bob", "market sell", "other Dear 5001")
    assert "**price** must be at least 5" in low.text
    assert "**price** must be at most 5000" in high.text
    lid = await sell(app, "bob", "other Fine 5")
    assert "your own listing" in (await invoke(app, "bob", "market buy", str(lid))).text
    await funded(app, "alice", 50)
    await invoke(app, "mod", "admin lock", "@alice chargeback", mod=True)
    locked = await invoke(app, "alice", "market buy", str(lid))
    assert "locked" in locked.text
    assert "locked" in (await invoke(app, "alice", "market sell", "other Mine 10")).text
    poor = await invoke(app, "carol", "market buy", str(lid))
    assert "costs **5** points and you have **0**" in poor.text and await open_escrow(app) == 0
    await invoke(app, "bob", "market pause", str(lid))
    await invoke(app, "mod", "admin unlock", "@alice", mod=True)
    assert "paused" in (await invoke(app, "alice", "market buy", str(lid))).text
    await assert_ledger_sound(app)


async def test_twenty_concurrent_buys_of_the_last_slot_make_exactly_one_order(app: App) -> None:
    lid = await sell(app, "bob", "mentoring Session 30")
    names = [f"buyer{n}" for n in range(20)]
    for name in names:
        await funded(app, name, 30)
    replies = await asyncio.gather(*(invoke(app, n, "market buy", str(lid)) for n in names))
    placed = [r for r in replies if r.tone is Tone.SUCCESS]
    refused = [r for r in replies if "Every slot" in r.text]
    assert len(placed) == 1 and len(refused) == 19, [r.text for r in replies]
    balances = sorted([await balance(app, n) for n in names])
    assert balances == [0] + [30] * 19  # nobody else was charged or wrongly refunded
    assert await open_escrow(app) == 30
    await assert_ledger_sound(app)


async def test_browse_filters_searches_and_sorts(app: App) -> None:
    await sell(app, "bob", 'resume_review "CV polish" 300')
    await sell(app, "bob", 'mentoring "Career mentoring" 100')
    await sell(app, "carol", 'resume_review "Cover letter" 200')
    by_price = await invoke(app, "alice", "market browse", "--sort price")
    assert [line.split("**")[1] for line in by_price.text.splitlines()] == ["#2", "#3", "#1"]
    only = await invoke(app, "alice", "market browse", "resume_review")
    assert "Career" not in only.text and "CV polish" in only.text
    found = await invoke(app, "alice", "market browse", "--search letter")
    assert "Cover letter" in found.text and "CV" not in found.text
    mine = await invoke(app, "bob", "market mine")
    assert "CV polish" in mine.text and "Career mentoring" in mine.text
