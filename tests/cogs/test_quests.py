"""Quests: progress from activities, one payout per completion, review, weekly rotation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from cogs.kit import Job, Tone
from domain.core.activity import each
from domain.core.clock import FixedClock
from domain.core.contracts import QuestReader
from domain.quests.activities import QuestCompleted
from storage.points import LedgerRow
from storage.quest_tables import QuestProgressRow, QuestRow, QuestSubmissionRow
from tests.conftest import invoke
from tests.support.boards import balance, count, member, outbox, record

MOD = {"mod": True}


async def create(app: App, text: str) -> int:
    reply = await invoke(app, "mia", "admin quest create", text, mod=True)
    assert reply.tone is Tone.SUCCESS, reply.text
    assert reply.title is not None
    return int(reply.title.split("#")[1].split(":")[0])


def rotation_job(app: App) -> Job:
    return next(j for j in app.registry.jobs if j.name == "quests.rotation")


async def quest_payouts(app: App) -> int:
    return await count(app, LedgerRow, LedgerRow.source == "quest")


async def test_checkin_quest_completes_and_pays_once(app: App, clock: FixedClock) -> None:
    completed: list[QuestCompleted] = []

    async def capture(uow: object, activity: QuestCompleted) -> None:
        completed.append(activity)

    app.ctx.bus.register(each("test.capture", QuestCompleted, capture))
    quest_id = await create(app, '"Check in twice" checkins 2 30 --xp 20 --ends 7d')

    await invoke(app, "ana", "checkin")
    board = await invoke(app, "ana", "quests")
    assert f"**#{quest_id} Check in twice**" in board.text
    assert "2 check-ins — ▰▰▰▰▰▱▱▱▱▱ 1/2" in board.text
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await invoke(app, "ana", "checkin")

    assert await balance(app, "ana") == 4 * 10 + 30
    assert await quest_payouts(app) == 1
    assert [(a.quest_id, a.explicit_xp()) for a in completed] == [(quest_id, 20)]
    assert "✅ done" in (await invoke(app, "ana", "quests")).text
    dms = await outbox(app, "quest")
    assert len(dms) == 1 and dms[0].target == "dm"
    assert (
        "Quest complete: **Check in twice** — you earned 30 points + 20 XP"
        in (dms[0].payload["text"])
    )
    # Completing counts toward achievements ("Questor").
    assert "**Questor**" in (await invoke(app, "ana", "achievements")).text


async def test_weekly_quest_starts_over_each_week(app: App, clock: FixedClock) -> None:
    await create(app, '"Two gifts" gifts 2 15 --repeat weekly --ends 21d')
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    for week in range(2):
        await invoke(app, "ana", "points give", "@bob 1")
        await invoke(app, "ana", "points give", "@bob 1")
        await invoke(app, "ana", "points give", "@bob 1")  # a third gift pays nothing more
        assert await quest_payouts(app) == week + 1
        clock.advance(timedelta(days=7))
    assert await count(app, QuestProgressRow) == 2  # one row per week, both kept


async def test_activity_outside_the_window_does_not_count(app: App, clock: FixedClock) -> None:
    await create(app, '"Later" checkins 1 5 --starts 2026-11-18 --ends 2026-11-20')
    await invoke(app, "ana", "checkin")  # Monday: not started yet
    clock.advance(timedelta(days=2))
    assert "1/1" not in (await invoke(app, "ana", "quests")).text
    await invoke(app, "ana", "checkin")  # Wednesday: counts and completes
    assert await quest_payouts(app) == 1
    clock.advance(timedelta(days=3))  # Saturday: ended, no longer listed
    assert "Later" not in (await invoke(app, "ana", "quests")).text


async def test_votes_from_governance_advance_vote_quests(app: App) -> None:
    await create(app, '"Have your say" votes 3 40')
    for i in range(3):
        await record(app, "ana", "vote_cast", key=f"vote:{i}", proposal_id=i)
    assert await balance(app, "ana") == 40
    ana, bob = await member(app, "ana"), await member(app, "bob")
    reader = app.ctx.need(QuestReader)  # type: ignore[type-abstract]
    async with app.uow(read_only=True) as uow:
        assert await reader.active_for(uow, ana.id) == []
        bob_quests = await reader.active_for(uow, bob.id)
    assert [(q.title, q.progress, q.target) for q in bob_quests] == [("Have your say", 0, 3)]


async def test_manual_quest_review_flow(app: App) -> None:
    quest_id = await create(app, '"Write a guide" manual 1 100 A newcomer guide --xp 25')
    board = await invoke(app, "bob", "quests")
    assert f"submit proof: `/quest submit {quest_id} <proof>`" in board.text

    sent = await invoke(app, "bob", "quest submit", f"{quest_id} https://wiki/guide")
    assert "submission **#1**" in sent.text
    again = await invoke(app, "bob", "quest submit", f"{quest_id} once more")
    assert again.tone is Tone.ERROR and "still waiting for a moderator" in again.text
    assert "⏳ proof #1 awaiting review" in (await invoke(app, "bob", "quests")).text

    queue = await invoke(app, "mia", "admin quest submissions", mod=True)
    assert "**#1**" in queue.text and "https://wiki/guide" in queue.text

    rejected = await invoke(app, "mia", "admin quest review", "1 reject no link", mod=True)
    assert "rejected" in rejected.text
    [dm] = await outbox(app, "quest_review")
    # The reason is quoted and ends its sentence before the next one starts.
    assert "not accepted: “no link”. You can send new proof" in dm.payload["text"]
    assert await balance(app, "bob") == 0

    resent = await invoke(app, "bob", "quest submit", f"{quest_id} https://wiki/guide-v2")
    assert resent.tone is Tone.SUCCESS
    approved = await invoke(app, "mia", "admin quest review", "1 approve great", mod=True)
    assert "approved ✅" in approved.text and "**100** points" in approved.text
    assert await balance(app, "bob") == 100

    twice = await invoke(app, "mia", "admin quest review", "1 approve", mod=True)
    assert twice.tone is Tone.ERROR and "already approved" in twice.text
    done = await invoke(app, "bob", "quest submit", f"{quest_id} third")
    assert done.tone is Tone.ERROR and "already completed" in done.text
    assert await balance(app, "bob") == 100
    assert await quest_payouts(app) == 1


async def test_concurrent_approvals_pay_once(app: App) -> None:
    quest_id = await create(app, '"Write a guide" manual 1 100')
    await invoke(app, "bob", "quest submit", f"{quest_id} proof")
    replies = await asyncio.gather(
        *(invoke(app, "mia", "admin quest review", "1 approve", mod=True) for _ in range(10))
    )
    assert sum(r.tone is Tone.SUCCESS for r in replies) == 1
    assert await balance(app, "bob") == 100
    assert await quest_payouts(app) == 1


async def test_rotation_opens_the_week_once(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "help")  # the community exists
    job = rotation_job(app)
    monday = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)
    await job.handler(monday)
    await job.handler(monday)  # a rerun (or a second process) opens nothing more
    first = await count(app, QuestRow)
    assert first == app.config.quests.rotation_per_week == 2
    assert len(await outbox(app, "quests")) == 1
    board = await invoke(app, "ana", "quests")
    assert board.text.count("**#") == 2

    clock.set(monday + timedelta(days=7))
    await job.handler(monday + timedelta(days=7))
    assert await count(app, QuestRow) == 4
    next_board = await invoke(app, "ana", "quests")
    assert next_board.text.count("**#") == 2  # last week's challenges have closed
    assert len(await outbox(app, "quests")) == 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"Bad" checkins 2 30 --ends 2020-01-01', "the end must come after the start"),
        ('"Bad" checkins 2 30 --ends soon', "must be a date like 2026-11-30"),
        ('"Bad" checkins 2 30 --starts 2026-02-30', "must be a date like"),
        ('"Bad" checkins 2 30 --ends 400d', "at most a year"),
        ('"Bad" checkins 2 30 --ends 0d', "end must come after the start"),
        ('"Bad" karma 2 30', "goal must be one of"),
        ('"Bad" checkins 0 30', "target must be at least 1"),
        ('"Bad" checkins 2 -5', "points must be at least 0"),
    ],
)
async def test_bad_quest_input_is_refused_and_creates_nothing(
    app: App, text: str, words: str
) -> None:
    reply = await invoke(app, "mia", "admin quest create", text, mod=True)
    assert reply.tone is Tone.ERROR
    assert words in reply.text.replace("**", ""), reply.text
    assert await count(app, QuestRow) == 0


async def test_quest_options_after_the_description_are_reached_by_flags_as_usage_says(
    app: App,
) -> None:
    reply = await invoke(app, "mia", "admin quest create", "", mod=True)
    assert "[description] [--xp N] [--difficulty easy|medium|hard|epic]" in reply.text
    await create(
        app, '"Guide" manual 1 100 Write a guide --xp 20 --difficulty hard --repeat weekly'
    )
    async with app.database.reader.connect() as conn:
        row = (await conn.execute(select(QuestRow))).one()
    assert row.description == "Write a guide"
    assert (row.reward_xp, row.difficulty, row.repeat) == (20, "hard", "weekly")


async def test_members_cannot_create_or_review(app: App) -> None:
    reply = await invoke(app, "ana", "admin quest create", '"Mine" checkins 1 1000')
    assert reply.tone is Tone.ERROR and "Only moderators" in reply.text
    reply = await invoke(app, "ana", "admin quest review", "1 approve")
    assert reply.tone is Tone.ERROR and "Only moderators" in reply.text
    assert await count(app, QuestRow) == 0


async def test_submissions_for_the_wrong_quest_are_refused(app: App) -> None:
    auto = await create(app, '"Check in" checkins 1 5')
    for text, words in [
        (f"{auto} proof", "counts your check-ins by itself"),
        ("99 proof", "There is no quest **#99** here"),
        (f"{auto}", "proof** is missing"),
    ]:
        reply = await invoke(app, "ana", "quest submit", text)
        assert reply.tone is Tone.ERROR and words in reply.text, reply.text
    review = await invoke(app, "mia", "admin quest review", "5 approve", mod=True)
    assert "There is no submission **#5** here" in review.text
    # Numbers beyond any 32-bit id are simply not found (PostgreSQL would refuse them).
    huge = await invoke(app, "ana", "quest submit", "99999999999 proof")
    assert "There is no quest **#99999999999** here" in huge.text
    huge = await invoke(app, "mia", "admin quest review", "99999999999 approve", mod=True)
    assert "There is no submission **#99999999999** here" in huge.text
    assert app.runner.unhandled_errors == 0
    assert await count(app, QuestSubmissionRow) == 0


async def test_concurrent_progress_completes_and_pays_once(app: App) -> None:
    await create(app, '"Two gifts" gifts 2 15')
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    replies = await asyncio.gather(
        *(invoke(app, "ana", "points give", "@bob 1") for _ in range(10))
    )
    assert all(r.tone is Tone.SUCCESS for r in replies)
    assert await quest_payouts(app) == 1
    assert await balance(app, "ana") == 10 - 10 + 15


async def test_approval_is_told_by_dm_like_a_rejection(app: App) -> None:
    quest_id = await create(app, '"Write a guide" manual 1 100 A newcomer guide')
    await invoke(app, "bob", "quest submit", f"{quest_id} https://wiki/guide")
    await invoke(app, "mia", "admin quest review", "1 approve", mod=True)
    [dm] = await outbox(app, "quest_review")
    assert "Your proof for **Write a guide** was approved" in dm.payload["text"]
    assert "you earned 100 points" in dm.payload["text"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Far dates overflowed Python's date (OverflowError: an internal error).
        ('"Far" checkins 2 30 --ends 9999-12-31', "ends must be a day from 2025-11-15 to"),
        ('"Far" checkins 2 30 --starts 9999-12-31', "starts must be a day from 2025-11-15"),
        ('"Far" checkins 2 30 --starts 0001-01-01', "starts must be a day from 2025-11-15"),
        # One approved proof completes a manual quest: a target of 5 was silently 1.
        ('"Five" manual 5 30 Five proofs', "its target must be 1 (not 5)"),
    ],
)
async def test_far_dates_and_a_manual_target_are_refused_with_what_is_allowed(
    app: App, text: str, words: str
) -> None:
    reply = await invoke(app, "mia", "admin quest create", text, mod=True)
    assert reply.tone is Tone.ERROR and app.runner.unhandled_errors == 0, reply.text
    assert words in reply.text.replace("**", ""), reply.text
    assert await count(app, QuestRow) == 0
