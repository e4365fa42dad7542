"""Achievements: unlocked once from counters, with rarity from the data."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.app import App
from cogs.kit import Tone
from domain.core.contracts import AchievementReader
from storage.achievements import MemberAchievementRow, MemberCounterRow
from tests.cogs.boards_support import count, member, outbox
from tests.conftest import invoke


async def test_first_checkin_unlocks_and_announces_once(app: App) -> None:
    await invoke(app, "ana", "checkin")
    ana = await member(app, "ana")
    assert await count(app, MemberAchievementRow, MemberAchievementRow.member_id == ana.id) == 1
    posts = await outbox(app, "achievement")
    assert len(posts) == 1
    assert posts[0].channel_kind == "announcements"
    assert "unlocked **First steps**" in posts[0].payload["text"]
    assert posts[0].payload["mentions"][0]["accounts"] == {"console": "ana"}

    reply = await invoke(app, "ana", "achievements")
    assert "👣 **First steps** — Check in for the first time · held by 100% of members" in (
        reply.text
    )
    assert "🔒 On fire — Keep a 7-day streak ▰▱▱▱▱▱▱▱▱▱ 1/7 streak" in reply.text
    assert reply.title == "🏅 Achievements — 1 of 12 unlocked"


async def test_rarity_is_the_share_of_members_holding_it(app: App) -> None:
    for name in ("ana", "bob", "cat", "dan"):
        await member(app, name)
    for name in ("ana", "bob", "cat"):
        await invoke(app, name, "checkin")
    await invoke(app, "ana", "points give", "@bob 1")
    reply = await invoke(app, "dan", "achievements", "@ana")
    assert "<@m:1>'s achievements" in reply.text
    assert "**Generous** — Give points to someone · held by 25% of members" in reply.text
    assert "**First steps** — Check in for the first time · held by 75% of members" in reply.text
    # Rarest first.
    assert reply.text.index("Generous") < reply.text.index("First steps")

    reader = app.ctx.need(AchievementReader)  # type: ignore[type-abstract]
    async with app.uow(read_only=True) as uow:
        top = await reader.top_for(uow, (await member(app, "ana")).id, limit=1)
    assert [(h.name, h.rarity_percent) for h in top] == [("Generous", 25.0)]


async def test_concurrent_gifts_unlock_generous_once(app: App) -> None:
    await invoke(app, "ana", "checkin")  # ana has 10 points
    await invoke(app, "bob", "checkin")
    replies = await asyncio.gather(
        *(invoke(app, "ana", "points give", "@bob 1") for _ in range(10))
    )
    assert all(r.tone is Tone.SUCCESS for r in replies), [r.text for r in replies]
    ana = await member(app, "ana")
    held = MemberAchievementRow.achievement_id == "generous"
    assert await count(app, MemberAchievementRow, held) == 1
    assert sum("Generous" in p.payload["text"] for p in await outbox(app, "achievement")) == 1
    async with app.database.reader.connect() as conn:
        given = (
            await conn.execute(
                select(MemberCounterRow.value).where(
                    MemberCounterRow.member_id == ana.id, MemberCounterRow.counter == "gifts_given"
                )
            )
        ).scalar_one()
    assert given == 10  # every gift counted, none lost to a race
