"""XP from activities, levels, tiers, announcements and /profile, on every engine."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from bot.app import App
from cogs.kit import Reply, Tone
from cogs.progress.card import CARD_SIZE
from domain.achievements.config import AchievementSpec
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.core.contracts import AchievementReader, RankReader, TierReader
from domain.progress import ProgressSection
from storage.progress import MemberXpRow, XpAwardRow
from tests.conftest import invoke
from tests.support.progress import emit, member, outbox


@pytest.fixture
def config() -> CommunityConfig:
    # One achievement, paying no XP, so /profile has something to show while
    # these tests count the XP of one rule at a time.
    return CommunityConfig(
        achievements=(
            AchievementSpec(
                id="first_light",
                name="First light",
                description="Check in once",
                emoji="🌅",
                requires={"checkins": 1},
            ),
        ),
        progress=ProgressSection.model_validate(
            {
                "xp": {
                    "achievement_unlocked": {"amount": 0},
                    "vote_cast": {"amount": 10, "daily_cap": 25, "diminish_after": 0},
                    "proposal_created": {
                        "amount": 8,
                        "diminish_after": 1,
                        "diminish_factor": 0.5,
                        "cooldown_minutes": 0,
                        "daily_cap": 0,
                    },
                },
                "tiers": [
                    {"name": "Seedling", "level": 1},
                    {"name": "Sprout", "level": 5, "role": "Sprouts"},
                    {"name": "Blossom", "level": 10},
                    {"name": "Bloom", "level": 20},
                    {"name": "Evergreen", "level": 35},
                ],
            }
        ),
    )


async def xp_of(app: App, name: str) -> int:
    who = await member(app, name)
    async with app.database.reader.connect() as conn:
        value = (
            await conn.execute(select(MemberXpRow.xp).where(MemberXpRow.member_id == who.id))
        ).scalar_one_or_none()
    return int(value or 0)


async def awards(app: App, name: str, source: str) -> list[int]:
    who = await member(app, name)
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(XpAwardRow.amount)
            .where(XpAwardRow.member_id == who.id, XpAwardRow.source == source)
            .order_by(XpAwardRow.id)
        )
        return [int(r[0]) for r in rows]


async def test_checkin_earns_xp_once_per_checkin(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "alice", "checkin")  # refused: same day
    assert await awards(app, "alice", "checked_in") == [20]
    assert await xp_of(app, "alice") == 20


async def test_daily_cap_clips_and_then_stops_xp_until_the_next_day(
    app: App, clock: FixedClock
) -> None:
    alice = await member(app, "alice")
    for n in range(4):
        await emit(app, alice, "vote_cast", f"vote:{n}", proposal_id=1)
    assert await awards(app, "alice", "vote_cast") == [10, 10, 5]
    fields = {f.name: f.value for f in (await invoke(app, "alice", "profile")).fields}
    assert fields["XP today"] == "votes 25/25 (daily cap reached)"
    clock.advance(timedelta(days=1))
    await emit(app, alice, "vote_cast", "vote:next-day", proposal_id=1)
    assert await awards(app, "alice", "vote_cast") == [10, 10, 5, 10]


async def test_repeated_actions_earn_diminishing_xp(app: App) -> None:
    alice = await member(app, "alice")
    for n in range(6):
        await emit(app, alice, "proposal_created", f"proposal:{n}", proposal_id=1)
    assert await awards(app, "alice", "proposal_created") == [8, 4, 2, 1]


async def test_gift_xp_goes_to_the_giver_with_a_cooldown(app: App, clock: FixedClock) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    await invoke(app, "alice", "points give", "@bob 1")
    await invoke(app, "alice", "points give", "@bob 1")  # within the 1-minute cooldown
    clock.advance(timedelta(minutes=1))
    await invoke(app, "alice", "points give", "@bob 1")
    assert await awards(app, "alice", "points_gifted") == [5, 5]
    assert await awards(app, "bob", "points_gifted") == []


async def test_same_activity_twice_pays_xp_once(app: App) -> None:
    alice = await member(app, "alice")
    await emit(app, alice, "quest_completed", "quest:7:1", quest_id=1, reward_xp=40, period="")
    await emit(app, alice, "quest_completed", "quest:7:1", quest_id=1, reward_xp=40, period="")
    assert await xp_of(app, "alice") == 40


async def test_level_up_is_announced_exactly_once_per_level(app: App) -> None:
    alice = await member(app, "alice")
    await emit(
        app, alice, "quest_completed", "q:1", quest_id=1, reward_xp=150, period=""
    )  # level 2 at 100 XP
    await emit(
        app, alice, "quest_completed", "q:1", quest_id=1, reward_xp=150, period=""
    )  # replay: nothing
    await emit(
        app, alice, "quest_completed", "q:2", quest_id=1, reward_xp=10, period=""
    )  # still level 2
    rows = await outbox(app, "level_up")
    assert [r.dedupe_key for r in rows] == [f"level_up:{alice.id}:2"]
    assert rows[0].channel_kind == "announcements"
    assert "level 2" in rows[0].payload["text"]
    await emit(
        app, alice, "quest_completed", "q:3", quest_id=1, reward_xp=200, period=""
    )  # 360 XP: level 3
    assert len(await outbox(app, "level_up")) == 2


async def test_tier_up_announces_and_grants_the_tier_role(app: App) -> None:
    alice = await member(app, "alice")
    await emit(
        app, alice, "quest_completed", "q:big", quest_id=1, reward_xp=800, period=""
    )  # level 5: Sprout
    tier_rows = await outbox(app, "tier_up")
    assert len(tier_rows) == 1 and "Sprout" in tier_rows[0].payload["text"]
    roles = await outbox(app, "role_grant")
    assert [(r.payload["role"], r.member_id, r.target) for r in roles] == [
        ("Sprouts", alice.id, "channel")
    ]
    assert "**Sprouts** role" in Reply.from_dict(roles[0].payload).text  # renders as a reply too
    async with app.uow(read_only=True) as uow:
        info = await app.ctx.need(TierReader).tier_of(uow, alice.id)
    assert (info.level, info.tier_index, info.tier_name) == (5, 1, "Sprout")
    assert info.next_tier_name == "Blossom" and info.xp_to_next_tier == 2700 - 800


async def test_locked_members_earn_no_xp(app: App) -> None:
    alice = await member(app, "alice")
    await member(app, "mia")
    await invoke(app, "mia", "admin lock", "@alice under review", mod=True)
    await emit(app, alice, "vote_cast", "vote:locked", proposal_id=1)
    assert await xp_of(app, "alice") == 0


async def test_profile_without_rank_or_achievements_still_shows_everything(app: App) -> None:
    for reader in (RankReader, AchievementReader):
        app.ctx._services.pop(reader, None)  # as if leaderboards/achievements were not installed
    await invoke(app, "alice", "checkin")
    reply = await invoke(app, "alice", "profile")
    fields = {f.name: f.value for f in reply.fields}
    assert set(fields) == {"Level", "Tier", "Points", "Streak", "XP today"}
    assert fields["XP today"] == "check-in 20"
    assert "**1** · 20 XP" in fields["Level"] and "80 XP to level 2" in fields["Level"]
    assert "Seedling" in fields["Tier"] and "780 XP to Sprout" in fields["Tier"]
    assert "**10**" in fields["Points"]
    assert "**1** (longest 1)" in fields["Streak"]
    assert reply.image is not None
    png = Image.open(io.BytesIO(reply.image.data))
    assert png.format == "PNG" and png.size == CARD_SIZE


async def test_profile_shows_a_broken_streak_as_zero(app: App, clock: FixedClock) -> None:
    await invoke(app, "alice", "checkin")
    clock.advance(timedelta(days=3))
    fields = {f.name: f.value for f in (await invoke(app, "alice", "profile")).fields}
    assert "**0** (longest 1)" in fields["Streak"]


async def test_profile_with_rank_and_achievements_shows_them(app: App) -> None:
    await invoke(app, "alice", "checkin")
    bob = await member(app, "bob")
    await emit(app, bob, "quest_completed", "q:bob", quest_id=1, reward_xp=500, period="")
    reply = await invoke(app, "alice", "profile")
    fields = {f.name: f.value for f in reply.fields}
    # The board is named: a bare "#2 of 2" read as /leaderboard's points this week.
    assert fields["Rank"] == "**#2** of 2 · XP, all time"
    # alice holds it, bob (enrolled, never checked in) does not: 50% of members;
    # shown with its own emoji, not a 🏆 for every achievement.
    top = fields["Top achievements"]
    assert "🌅 **First light**" in top and "50%" in top
    other = await invoke(app, "alice", "profile", "@bob")
    assert {f.name: f.value for f in other.fields}["Rank"] == "**#1** of 2 · XP, all time"
    assert other.tone is Tone.INFO
    # The other boards are offered, and each works as written.
    assert reply.footer is not None and "Other boards:" in reply.footer
    for offered in reply.footer.split(":", 1)[1].split("·"):
        name, _, text = offered.strip().lstrip("/").partition(" ")
        board = await invoke(app, "alice", name, text)
        assert board.tone is not Tone.ERROR, (offered, board.text)


async def test_concurrent_activities_never_pass_the_daily_cap(app: App) -> None:
    alice = await member(app, "alice")
    await asyncio.gather(
        *(emit(app, alice, "vote_cast", f"vote:{n}", proposal_id=1) for n in range(30))
    )
    assert sum(await awards(app, "alice", "vote_cast")) == 25
    assert await xp_of(app, "alice") == 25


async def test_malformed_explicit_xp_is_ignored_without_undoing_the_activity(app: App) -> None:
    alice = await member(app, "alice")
    await emit(app, alice, "quest_completed", "q:bad", quest_id=1, reward_xp="lots", period="")
    assert await xp_of(app, "alice") == 0
