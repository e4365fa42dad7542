"""/points balance and /points give through the real runner and database."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Tone
from storage.points import BalanceRow, LedgerRow
from tests.conftest import invoke


async def balance_of(app: App, name: str) -> int:
    reply = await invoke(app, name, "points balance")
    return int(reply.text.split("**")[1])


async def ledger_rows(app: App) -> int:
    async with app.database.reader.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(LedgerRow))).scalar_one())


async def test_give_moves_points_and_tells_both_balances(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    reply = await invoke(app, "alice", "points give", "@bob 3 thanks for the review")
    assert reply.tone is Tone.SUCCESS
    assert "**3** points" in reply.text and "thanks for the review" in reply.text
    assert reply.footer == "Your balance: 7"
    assert {m.display_name for m in reply.mentions} == {"alice", "bob"}
    assert await balance_of(app, "alice") == 7
    assert await balance_of(app, "bob") == 13


async def test_balance_of_another_member_mentions_them(app: App) -> None:
    await invoke(app, "bob", "checkin")
    reply = await invoke(app, "alice", "points balance", "@bob")
    assert "has **10** points" in reply.text
    assert reply.ephemeral is True


async def test_give_refuses_overdraw_and_changes_nothing(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    rows_before = await ledger_rows(app)
    reply = await invoke(app, "alice", "points give", "@bob 11")
    assert reply.tone is Tone.ERROR
    assert "You have **10** points, so you can't give **11**" in reply.text
    assert await ledger_rows(app) == rows_before
    assert await balance_of(app, "alice") == 10
    assert await balance_of(app, "bob") == 10


async def test_one_point_is_singular_in_balances_gifts_and_awards(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    gift = await invoke(app, "alice", "points give", "@bob 1")
    assert "**1** point." in gift.text and "1** points" not in gift.text
    await invoke(app, "mia", "admin revoke", "@alice 8 test", mod=True)
    assert (await invoke(app, "alice", "points balance")).text == "You have **1** point."
    award = await invoke(app, "mia", "admin award", "@alice 1 welcome", mod=True)
    assert "**1** point —" in award.text


async def test_give_to_self_is_refused(app: App) -> None:
    await invoke(app, "alice", "checkin")
    reply = await invoke(app, "alice", "points give", "@alice 1")
    assert reply.tone is Tone.ERROR and "yourself" in reply.text
    assert await balance_of(app, "alice") == 10


async def test_bad_amounts_answer_with_usage(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    for text, words in [
        ("@bob 0", "at least 1"),
        ("@bob -5", "at least 1"),
        ("@bob lots", "whole number"),
        ("@bob", "amount** is missing"),
        ("bob 5", "must mention a member"),
        ("@bob 5000", "at most 1000"),
    ]:
        reply = await invoke(app, "alice", "points give", text)
        assert reply.tone is Tone.ERROR, text
        assert words in reply.text, (text, reply.text)
        assert "/points give <member> <amount> [reason]" in reply.text
    assert await balance_of(app, "alice") == 10


async def test_gift_to_unknown_console_name_is_refused(app: App) -> None:
    await invoke(app, "alice", "checkin")
    reply = await invoke(app, "alice", "points give", "@nobody 1")
    assert "don't know a member called **@nobody**" in reply.text


async def test_same_invocation_twice_is_applied_once(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    first = await invoke(app, "alice", "points give", "@bob 4", key="interaction-1")
    again = await invoke(app, "alice", "points give", "@bob 4", key="interaction-1")
    assert not first.replayed and again.replayed
    assert again.text == first.text
    assert await balance_of(app, "alice") == 6
    assert await balance_of(app, "bob") == 14


async def test_cached_balances_equal_ledger_sums(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    await invoke(app, "alice", "points give", "@bob 4")
    await invoke(app, "bob", "points give", "@alice 1")
    async with app.database.reader.connect() as conn:
        sums = dict(
            (
                await conn.execute(
                    select(LedgerRow.member_id, func.sum(LedgerRow.amount)).group_by(
                        LedgerRow.member_id
                    )
                )
            ).all()
        )
        cached = dict((await conn.execute(select(BalanceRow.member_id, BalanceRow.points))).all())
    assert sums == cached
