"""Concurrent battle steps resolve to one outcome, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from bot.app import App
from cogs.kit import Tone
from domain.battles import BattleId, BattleRepository, Status
from domain.core.ids import CommunityId
from tests.cogs.battle_helpers import battle, challenge, click, fight
from tests.conftest import invoke


async def test_twenty_concurrent_accepts_of_an_open_challenge_start_one_battle(app: App) -> None:
    takers = [f"taker{i}" for i in range(20)]
    for name in takers:
        await invoke(app, name, "help")
    bid = await challenge(app, "ana", "Fastest answer wins", command="battle open")
    replies = await asyncio.gather(*(click(app, n, f"battle.accept:{bid}") for n in takers))
    assert sum(r.tone is Tone.SUCCESS for r in replies) == 1
    assert all("can't be answered" in r.text for r in replies if r.tone is Tone.ERROR)
    b = await battle(app, bid)
    assert b.status is Status.ACTIVE and b.opponent_id is not None


async def test_both_entries_racing_reveal_once(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await challenge(app, "ana", "@bob Explain DNS")
    await invoke(app, "bob", "battle accept", str(bid))
    replies = await asyncio.gather(
        invoke(app, "ana", "battle submit", f"{bid} one"),
        invoke(app, "bob", "battle submit", f"{bid} two"),
    )
    assert all(r.tone is Tone.SUCCESS for r in replies)
    assert sum("now revealed" in r.text for r in replies) == 1
    assert (await battle(app, bid)).status is Status.VOTING


async def test_concurrent_votes_of_one_member_count_once(app: App) -> None:
    await invoke(app, "bob", "help")
    bid = await fight(app, "ana", "bob")
    await invoke(app, "carol", "help")
    replies = await asyncio.gather(
        *(invoke(app, "carol", "battle vote", f"{bid} a") for _ in range(10))
    )
    assert all(r.tone is Tone.SUCCESS for r in replies), [r.text for r in replies]
    async with app.uow(read_only=True) as uow:
        tally = await uow.get(BattleRepository).tally(BattleId(bid))
    assert tally.a == 1 and tally.b == 0


async def test_concurrent_accepts_by_one_member_stop_at_the_daily_limit(app: App) -> None:
    """Eight open challenges taken at once by one member: only `daily_limit` (5) start."""
    challengers = [f"host{i}" for i in range(8)]
    ids = [
        await challenge(app, name, f"Prompt number {i}", command="battle open")
        for i, name in enumerate(challengers)
    ]
    await invoke(app, "bob", "help")
    replies = await asyncio.gather(*(invoke(app, "bob", "battle accept", str(b)) for b in ids))
    assert sum(r.tone is Tone.SUCCESS for r in replies) == 5, [r.text for r in replies]
    assert all("today's limit of 5" in r.text for r in replies if r.tone is Tone.ERROR)
    statuses = [(await battle(app, b)).status for b in ids]
    assert statuses.count(Status.ACTIVE) == 5 and statuses.count(Status.PENDING) == 3


async def test_concurrent_challenges_by_one_member_stop_at_the_daily_limit(app: App) -> None:
    await invoke(app, "ana", "help")  # the community and member exist before the race
    replies = await asyncio.gather(
        *(invoke(app, "ana", "battle open", f"Open prompt {i}") for i in range(8))
    )
    assert sum(r.tone is not Tone.ERROR for r in replies) == 5, [r.text for r in replies]
    assert all("today's limit of 5" in r.text for r in replies if r.tone is Tone.ERROR)
    async with app.uow(read_only=True) as uow:
        listed = await uow.get(BattleRepository).listing(CommunityId(1), [Status.PENDING], None, 20)
    assert len(listed) == 5


async def test_concurrent_accepts_between_one_pair_stop_at_the_weekly_pair_limit(
    app: App,
) -> None:
    await invoke(app, "bob", "help")
    ids = [await challenge(app, "ana", f"@bob Prompt number {i}") for i in range(4)]
    replies = await asyncio.gather(*(invoke(app, "bob", "battle accept", str(b)) for b in ids))
    assert sum(r.tone is Tone.SUCCESS for r in replies) == 3, [r.text for r in replies]
    assert all("3 times this week" in r.text for r in replies if r.tone is Tone.ERROR)
