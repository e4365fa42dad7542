"""Achievements: unlocked once from counters, with rarity from the data."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, select

from bot.app import App
from cogs.kit import Tone
from domain.core.contracts import AchievementReader
from storage.achievements import MemberAchievementRow, MemberCounterRow
from tests.conftest import invoke
from tests.support.boards import count, member, outbox


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
    assert reply.title == "🏅 Achievements — 1 of 15 unlocked"


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


async def test_a_batch_of_unlocks_reads_who_unlocked_once(app: App) -> None:
    """Unlocks applied in one batch are announced as one at a time would, with one read each."""
    app.uow.settle_after_commit = False
    app.uow.projector.workers = 0  # paused: the three check-ins wait for one batch
    names = ("ana", "bob", "cy")
    for name in names:
        await invoke(app, name, "checkin")
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().startswith("SELECT"):
            reads.append(" ".join(sql.split()))

    engine = app.database.projecting.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        app.uow.projector.workers = 1
        assert await app.uow.projector.run_once() > len(names)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    posts = sorted(await outbox(app, "achievement"), key=lambda p: p.dedupe_key)
    assert len(posts) == len(names)
    for post, name in zip(posts, names, strict=True):
        who = await member(app, name)
        assert post.dedupe_key == f"achievement:{who.id}:first-checkin"
        assert post.payload["text"].startswith(f"👣 <@m:{who.id}> unlocked **First steps**")
        assert post.payload["mentions"] == [
            {"member_id": who.id, "display_name": name, "accounts": {"console": name}}
        ]
    member_rows = [r for r in reads if r.startswith("SELECT members.id, members.community_id,")]
    account_rows = [r for r in reads if "FROM accounts" in r]
    assert (len(member_rows), len(account_rows)) == (1, 1), reads
