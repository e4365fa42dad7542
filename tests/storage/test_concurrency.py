"""Fifty concurrent requests of one member never award twice or overdraw.

Run on SQLite and on PostgreSQL (where the pool really runs them in parallel).
"""

from __future__ import annotations

import asyncio

from bot.app import App
from cogs.kit import Tone
from storage.check import balance_mismatches
from tests.conftest import invoke


async def test_fifty_concurrent_checkins_award_once(app: App) -> None:
    await invoke(app, "alice", "help")  # enrol first, as a member would have
    replies = await asyncio.gather(*(invoke(app, "alice", "checkin") for _ in range(50)))
    successes = [r for r in replies if r.tone is Tone.SUCCESS]
    refusals = [r for r in replies if "already checked in" in r.text]
    assert len(successes) == 1
    assert len(refusals) == 49
    balance = await invoke(app, "alice", "points balance")
    assert "**10**" in balance.text
    assert await balance_mismatches(app.database.reader) == []


async def test_fifty_concurrent_gifts_never_overdraw(app: App) -> None:
    await invoke(app, "alice", "checkin")  # alice has 10
    await invoke(app, "bob", "checkin")
    replies = await asyncio.gather(
        *(invoke(app, "alice", "points give", "@bob 3") for _ in range(50))
    )
    given = [r for r in replies if r.tone is Tone.SUCCESS]
    refused = [r for r in replies if "so you can't give" in r.text]
    assert len(given) == 3  # 10 // 3
    assert len(given) + len(refused) == 50
    assert "**1**" in (await invoke(app, "alice", "points balance")).text
    assert "**19**" in (await invoke(app, "bob", "points balance")).text
    assert await balance_mismatches(app.database.reader) == []


async def test_fifty_replays_of_one_interaction_apply_once(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    replies = await asyncio.gather(
        *(invoke(app, "alice", "points give", "@bob 2", key="same-click") for _ in range(50))
    )
    assert sum(not r.replayed for r in replies) == 1
    assert all(r.tone is Tone.SUCCESS for r in replies)
    assert "**8**" in (await invoke(app, "alice", "points balance")).text


async def test_crossing_gifts_do_not_deadlock(app: App) -> None:
    for name in ("alice", "bob"):
        await invoke(app, name, "checkin")
    replies = await asyncio.gather(
        *(
            invoke(app, a, "points give", f"@{b} 1")
            for _ in range(10)
            for a, b in (("alice", "bob"), ("bob", "alice"))
        )
    )
    assert all(r.tone is Tone.SUCCESS for r in replies), [r.text for r in replies]
    assert await balance_mismatches(app.database.reader) == []
