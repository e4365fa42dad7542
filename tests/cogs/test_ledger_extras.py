"""Expiry (oldest credits first), the daily giving quota, history pages and moderator tools."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig, PointsSection
from storage.check import balance_mismatches
from storage.points import BalanceRow, LedgerRow
from tests.conftest import START, invoke
from tests.support.progress import member


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(
        points=PointsSection(daily_gift_quota=20, expiry_days={"checkin": 30}, history_page_size=4)
    )


async def balance(app: App, name: str) -> int:
    return int((await invoke(app, name, "points balance")).text.split("**")[1])


async def ledger(app: App, name: str, kind: str | None = None) -> list[LedgerRow]:
    who = await member(app, name)
    stmt = select(LedgerRow.__table__).where(LedgerRow.member_id == who.id)
    if kind:
        stmt = stmt.where(LedgerRow.kind == kind)
    async with app.database.reader.connect() as conn:
        return list(await conn.execute(stmt.order_by(LedgerRow.id)))  # type: ignore[arg-type]


async def run_expiry(app: App) -> None:
    job = next(j for j in app.registry.jobs if j.name == "points.expire")
    await job.handler(app.clock.now())


async def test_checkin_credits_carry_their_expiry_date(app: App) -> None:
    await invoke(app, "alice", "checkin")
    (row,) = await ledger(app, "alice")
    assert row.expires_at == START + timedelta(days=30)


async def test_expiry_takes_what_is_left_of_the_oldest_credits_first(
    app: App, clock: FixedClock
) -> None:
    await member(app, "bob")
    for _ in range(3):  # three credits of 10, a day apart: A, B, C
        await invoke(app, "alice", "checkin")
        clock.advance(timedelta(days=1))
    # The gift spends the oldest first: all of A and 5 of B.
    assert (await invoke(app, "alice", "points give", "@bob 15")).tone is Tone.SUCCESS

    clock.set(START + timedelta(days=31))  # A and B are past their date, C is not
    await run_expiry(app)
    assert [r.amount for r in await ledger(app, "alice", "expired")] == [-5]
    assert await balance(app, "alice") == 10
    await run_expiry(app)  # a second run changes nothing
    assert [r.amount for r in await ledger(app, "alice", "expired")] == [-5]

    clock.set(START + timedelta(days=32))
    await run_expiry(app)
    assert [r.amount for r in await ledger(app, "alice", "expired")] == [-5, -10]
    assert await balance(app, "alice") == 0
    assert await balance(app, "bob") == 15  # received points never expire
    assert await balance_mismatches(app.database.reader) == []


async def test_db_check_stays_clean_after_expiry_and_finds_a_planted_mismatch(
    app: App, clock: FixedClock
) -> None:
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(days=40))
    await run_expiry(app)
    assert await balance(app, "alice") == 0
    assert await balance_mismatches(app.database.reader) == []
    alice = await member(app, "alice")
    async with app.database.writer.begin() as conn:
        await conn.execute(
            update(BalanceRow).where(BalanceRow.member_id == alice.id).values(points=7)
        )
    mismatches = await balance_mismatches(app.database.reader)
    assert [(m.member_id, m.cached, m.ledger) for m in mismatches] == [(alice.id, 7, 0)]


async def test_daily_gift_quota_refuses_clearly_and_resets_next_day(
    app: App, clock: FixedClock
) -> None:
    await member(app, "mia")
    await member(app, "alice")
    await invoke(app, "bob", "checkin")
    await invoke(app, "mia", "admin award", "@alice 100 seed", mod=True)
    assert (await invoke(app, "alice", "points give", "@bob 15")).tone is Tone.SUCCESS
    refused = await invoke(app, "alice", "points give", "@bob 10")
    assert refused.tone is Tone.ERROR
    assert "give **20** points a day" in refused.text and "**5** are left" in refused.text
    assert "resets in 12h" in refused.text
    assert await balance(app, "alice") == 85
    assert (await invoke(app, "alice", "points give", "@bob 5")).tone is Tone.SUCCESS
    clock.advance(timedelta(days=1))
    assert (await invoke(app, "alice", "points give", "@bob 10")).tone is Tone.SUCCESS


async def test_concurrent_gifts_never_pass_the_daily_quota(app: App) -> None:
    await member(app, "mia")
    await invoke(app, "bob", "help")
    await invoke(app, "alice", "help")
    await invoke(app, "mia", "admin award", "@alice 500 seed", mod=True)
    replies = await asyncio.gather(
        *(invoke(app, "alice", "points give", "@bob 3") for _ in range(20))
    )
    assert sum(r.tone is Tone.SUCCESS for r in replies) == 6  # 20 // 3
    assert await balance(app, "bob") == 18
    assert await balance_mismatches(app.database.reader) == []


async def test_admin_award_and_revoke_record_moderator_and_reason(app: App) -> None:
    mia = await member(app, "mia")
    await invoke(app, "alice", "help")
    award = await invoke(app, "mia", "admin award", "@alice 50 ran the meetup", mod=True)
    assert award.tone is Tone.SUCCESS and "ran the meetup" in award.text
    revoke = await invoke(app, "mia", "admin revoke", "@alice 20 double counted", mod=True)
    assert revoke.tone is Tone.SUCCESS
    rows = await ledger(app, "alice", "adjusted")
    assert [(r.amount, r.source, r.actor_id, r.reason) for r in rows] == [
        (50, "admin", mia.id, "ran the meetup"),
        (-20, "admin", mia.id, "double counted"),
    ]
    assert await balance(app, "alice") == 30
    too_much = await invoke(app, "mia", "admin revoke", "@alice 31 more", mod=True)
    assert too_much.tone is Tone.ERROR and "only **30** points" in too_much.text
    assert await balance_mismatches(app.database.reader) == []


async def test_admin_tools_need_a_moderator_a_reason_and_another_member(app: App) -> None:
    await member(app, "mia")
    await invoke(app, "alice", "help")
    assert "Only moderators" in (await invoke(app, "alice", "admin award", "@alice 5 me")).text
    missing = await invoke(app, "mia", "admin award", "@alice 5", mod=True)
    assert "reason** is missing" in missing.text
    self_award = await invoke(app, "mia", "admin award", "@mia 5 me", mod=True)
    assert "can't award, revoke, lock or unlock themselves" in self_award.text
    assert await balance(app, "mia") == 0


async def test_locked_members_cannot_earn_or_spend_until_unlocked(app: App) -> None:
    await member(app, "mia")
    await invoke(app, "bob", "checkin")
    await invoke(app, "alice", "checkin")
    lock = await invoke(app, "mia", "admin lock", "@alice gift ring", mod=True)
    assert lock.tone is Tone.SUCCESS
    give = await invoke(app, "alice", "points give", "@bob 1")
    assert give.tone is Tone.ERROR and "locked by the moderators" in give.text
    assert "gift ring" in give.text
    # The locked member is told "you", not about themselves in the third person.
    assert give.text.startswith("You are locked") and "alice" not in give.text
    for command in ("checkin", "streak freeze buy"):
        refused = await invoke(app, "alice", command)
        assert refused.text.startswith("You are locked"), (command, refused.text)
    # Others still read the name.
    to_her = await invoke(app, "bob", "points give", "@alice 1")
    assert to_her.tone is Tone.ERROR and "**alice** is locked" in to_her.text
    award = await invoke(app, "mia", "admin award", "@alice 5 oops", mod=True)
    assert award.tone is Tone.ERROR
    again = await invoke(app, "mia", "admin lock", "@alice twice", mod=True)
    assert "already locked" in again.text
    assert (await invoke(app, "mia", "admin unlock", "@alice", mod=True)).tone is Tone.SUCCESS
    assert (await invoke(app, "alice", "points give", "@bob 1")).tone is Tone.SUCCESS
    assert "is not locked" in (await invoke(app, "mia", "admin unlock", "@alice", mod=True)).text


async def test_history_pages_newest_first_with_buttons(app: App, clock: FixedClock) -> None:
    for _ in range(10):
        await invoke(app, "alice", "checkin")
        clock.advance(timedelta(days=1))
    first = await invoke(app, "alice", "points history")
    lines = first.text.splitlines()[1:]
    assert len(lines) == 4 and "check-in" in lines[0]
    assert first.footer == "Page 1 of 3 · 11 entries"
    assert [b.action_id for b in first.buttons] == [
        f"points.history:{(await member(app, 'alice')).id}:2"
    ]
    last = await invoke(app, "bob", "points history", "@alice 3")
    assert len(last.text.splitlines()[1:]) == 3 and last.footer == "Page 3 of 3 · 11 entries"
    assert [b.label for b in last.buttons] == ["◀ Newer"]
    # The member may be left out: a lone number is the page.
    second = await invoke(app, "alice", "points history", "2")
    assert second.tone is not Tone.ERROR and second.footer == "Page 2 of 3 · 11 entries"
    past = await invoke(app, "alice", "points history", "@alice 4")
    assert past.tone is Tone.ERROR and "only **3** pages; page **4**" in past.text


async def test_an_out_of_date_history_button_is_refused_not_a_crash(app: App) -> None:
    from tests.support.proposals import click

    await invoke(app, "alice", "checkin")
    for action in (
        "points.history:abc:2",
        "points.history:1",
        "points.history:1:x",
        "points.history:99999999999:1",
    ):
        reply = await click(app, "alice", action)
        assert reply.tone is Tone.ERROR and "out of date" in reply.text, action
    assert app.runner.unhandled_errors == 0
