"""Battles feed achievements and quests through their counters."""

from __future__ import annotations

import tomllib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import App, build_app
from cogs.kit import Tone
from domain.achievements import AchievementSpec, default_catalog
from domain.battles import BattleRepository
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.ids import CommunityId
from storage.achievements import MemberAchievementRow
from tests.cogs.battle_helpers import battle, fight, run_timers
from tests.conftest import invoke
from tests.support.boards import count, member, outbox

ROOT = Path(__file__).resolve().parents[2]


def shipped_battle_achievements() -> list[AchievementSpec]:
    """The battle achievements config.toml ships."""
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    return [
        AchievementSpec(**a)
        for a in data["achievements"]
        if any(k.startswith("battle") for k in a["requires"])
    ]


@pytest.fixture
async def rewarded(database_url: str, clock: FixedClock) -> AsyncIterator[App]:
    specs = (*default_catalog(), *shipped_battle_achievements())
    app = await build_app(
        database_url, CommunityConfig(achievements=specs), clock=clock, upgrade=False
    )
    try:
        yield app
    finally:
        await app.close()


async def _win(app: App, clock: FixedClock, winner: str, loser: str, line: str) -> None:
    bid = await fight(app, winner, loser, line)
    b = await battle(app, bid)
    me = b.challenger_id  # the winner challenged
    side = b.side_of(me)
    assert side is not None
    for voter in ("v1", "v2", "v3"):
        await invoke(app, voter, "battle vote", f"{bid} {side.value}")
    clock.advance(timedelta(days=1, minutes=1))
    await run_timers(app, clock.now())
    assert (await battle(app, bid)).winner_id == me


async def test_a_first_win_unlocks_first_blood_once(rewarded: App, clock: FixedClock) -> None:
    assert {a.id for a in shipped_battle_achievements()} == {
        "first-win",
        "battle-streak",
        "giant-slayer",
    }
    await invoke(rewarded, "bob", "help")
    await _win(rewarded, clock, "ana", "bob", "First prompt")
    ana = await member(rewarded, "ana")
    bob = await member(rewarded, "bob")
    held = MemberAchievementRow.achievement_id == "first-win"
    assert (
        await count(rewarded, MemberAchievementRow, held, MemberAchievementRow.member_id == ana.id)
        == 1
    )
    assert (
        await count(rewarded, MemberAchievementRow, held, MemberAchievementRow.member_id == bob.id)
        == 0
    )
    posts = await outbox(rewarded, "achievement")
    assert sum("First blood" in p.payload["text"] for p in posts) == 1


async def test_a_battles_won_quest_counts_wins(app: App, clock: FixedClock) -> None:
    made = await invoke(
        app, "mia", "admin quest create", '"Duelist" battles_won 1 25 --ends 7d', mod=True
    )
    assert made.tone is Tone.SUCCESS, made.text
    fought = await invoke(
        app, "mia", "admin quest create", '"Brawler" battles_fought 2 5 --ends 7d', mod=True
    )
    assert fought.tone is Tone.SUCCESS, fought.text
    await invoke(app, "bob", "help")
    await _win(app, clock, "ana", "bob", "Quest prompt")
    ana_quests = await invoke(app, "ana", "quests")
    bob_quests = await invoke(app, "bob", "quests")
    assert "Duelist" in ana_quests.text and "✅" in ana_quests.text
    assert "1/2" in bob_quests.text  # one battle fought of two


async def _held(app: App, name: str, achievement: str) -> int:
    who = await member(app, name)
    return await count(
        app,
        MemberAchievementRow,
        MemberAchievementRow.achievement_id == achievement,
        MemberAchievementRow.member_id == who.id,
    )


async def test_five_wins_in_a_row_unlock_undefeated_once(rewarded: App, clock: FixedClock) -> None:
    for i in range(5):
        await invoke(rewarded, f"rival{i}", "help")
        await _win(rewarded, clock, "ana", f"rival{i}", f"Prompt number {i}")
        assert await _held(rewarded, "ana", "battle-streak") == (1 if i == 4 else 0)
    await invoke(rewarded, "rival5", "help")
    await _win(rewarded, clock, "ana", "rival5", "A sixth prompt")
    assert await _held(rewarded, "ana", "battle-streak") == 1
    stats = await invoke(rewarded, "ana", "battle stats")
    assert "6 now · best 6" in str(stats.fields)


async def test_beating_someone_rated_200_above_unlocks_giant_slayer(
    rewarded: App, clock: FixedClock
) -> None:
    await invoke(rewarded, "bob", "help")
    await invoke(rewarded, "cid", "help")
    bob = await member(rewarded, "bob")
    cid = await member(rewarded, "cid")
    async with rewarded.uow() as uow:  # bob has earned a rating of 1400, cid one of 1399
        repo = uow.get(BattleRepository)
        start = rewarded.config.battles.start_rating
        got = await repo.ratings(CommunityId(1), [bob.id, cid.id], start, lock=True)
        await repo.save_rating(replace(got[bob.id], rating=1400), clock.now())
        await repo.save_rating(replace(got[cid.id], rating=1399), clock.now())
        await uow.commit()
    await _win(rewarded, clock, "ana", "cid", "Close but not a giant")
    assert await _held(rewarded, "ana", "giant-slayer") == 0
    await invoke(rewarded, "dee", "help")
    await _win(rewarded, clock, "dee", "bob", "Slay the giant")
    assert await _held(rewarded, "dee", "giant-slayer") == 1
    posts = await outbox(rewarded, "achievement")
    assert sum("Giant slayer" in p.payload["text"] for p in posts) == 1
