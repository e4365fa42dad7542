"""Human mentoring through the real runner: profiles, matching, sessions, reminders, ratings."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.settings import load_config
from cogs.kit.command import JobHandler
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.mentoring import MentoringSection
from domain.moderation.config import LimitsSection
from storage.achievements import MemberCounterRow
from storage.check import balance_mismatches
from storage.mentoring import MentorRatingRow, MentorSessionHistoryRow
from tests.conftest import invoke
from tests.support.boards import balance, member, outbox
from tests.support.proposals import click


def job(app: App, name: str) -> JobHandler:
    return next(j for j in app.registry.jobs if j.name == name).handler


async def _mentor(app: App, who: str, line: str) -> None:
    reply = await invoke(app, who, "mentor profile set", line)
    assert "Mentor:" in (reply.title or ""), reply.text


async def test_profile_set_and_show(app: App) -> None:
    await _mentor(
        app,
        "ana",
        '--topics "Python, interviews" --bio "Backend dev" --capacity 2'
        ' --availability "Mon-Fri 18:00-20:00"',
    )
    reply = await invoke(app, "bob", "mentor profile show", "@ana")
    fields = {f.name: f.value for f in reply.fields}
    assert fields["Topics"] == "python, interviews"
    assert fields["Open slots"] == "2 of 2"
    assert fields["Rating"] == "no ratings yet"
    assert "Backend dev" in reply.text


async def test_bad_availability_is_refused_and_changes_nothing(app: App) -> None:
    await member(app, "ana")
    reply = await invoke(app, "ana", "mentor profile set", '--availability "whenever"')
    assert reply.ephemeral and "Mon-Fri 18:00-20:00" in reply.text
    reply = await invoke(app, "bob", "mentor profile show", "@ana")
    assert "no mentor profile" in reply.text


async def test_match_ranks_by_topic_synonyms_and_excludes_self_paused_and_full(app: App) -> None:
    await _mentor(app, "ana", '--topics "python" --capacity 3')
    await _mentor(app, "bo", '--topics "py, django" --capacity 3')
    await _mentor(app, "cy", '--topics "Pythons" --paused yes')
    await _mentor(app, "di", '--topics "rust"')
    reply = await invoke(app, "ana", "mentor match", "PYTHON")
    names = [m.display_name for m in reply.mentions]
    assert names == ["bo"]  # not herself, not the paused one, not the rust mentor
    assert "topic match: py" in reply.text and "3 of 3 slots free" in reply.text
    reply = await invoke(app, "eve", "mentors", "python")
    assert [m.display_name for m in reply.mentions] == ["ana", "bo"]


async def test_request_accept_complete_rate_pays_the_mentor_once(
    app: App, clock: FixedClock
) -> None:
    await _mentor(app, "ana", '--topics "python" --capacity 1')
    await member(app, "bob")
    reply = await invoke(
        app, "bob", "mentor request", '@ana general "help with asyncio" --when "2026-11-20 18:00"'
    )
    assert "Request **#1** sent" in reply.text
    [card] = await outbox(app, "mentoring")
    payload = json.loads(card.payload) if isinstance(card.payload, str) else card.payload
    assert [b["action_id"] for b in payload["buttons"]] == [
        "mentoring.accept:1",
        "mentoring.propose:1",
        "mentoring.decline:1",
    ]
    assert "help with asyncio" in payload["text"]
    # only the mentor may accept
    assert "isn't yours" in (await invoke(app, "bob", "session accept", "1")).text
    reply = await click(app, "ana", "mentoring.accept:1")
    assert "accepted session **#1**" in reply.text
    # the slot is taken: a second mentee cannot even request
    await member(app, "cy")
    reply = await invoke(app, "cy", "mentor request", "@ana general hi")
    assert "no free slots" in reply.text
    # rating before completion is refused
    assert "can't be done" in (await invoke(app, "bob", "session rate", "1 5")).text
    assert "complete" in (await invoke(app, "ana", "session complete", "1")).text
    before = await balance(app, "ana")
    reply = await click(app, "bob", "mentoring.rate:1:5")
    assert "rated session **#1** 5★" in reply.text and "earned **25** points" in reply.text
    again = await invoke(app, "bob", "session rate", "1 4")
    assert "already rated" in again.text
    assert await balance(app, "ana") == before + 25
    assert await balance_mismatches(app.database.reader) == []
    reply = await invoke(app, "bob", "mentor profile show", "@ana")
    fields = {f.name: f.value for f in reply.fields}
    assert fields["Rating"] == "5.0★ from 1" and fields["Sessions completed"] == "1"
    assert fields["Open slots"] == "1 of 1"
    async with app.database.reader.connect() as conn:
        rows = (await conn.execute(select(MentorSessionHistoryRow))).all()
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "requested"),
        ("requested", "scheduled"),
        ("scheduled", "completed"),
    ]


async def test_only_the_mentee_rates(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    await invoke(app, "bob", "mentor request", "@ana general hi")
    await invoke(app, "ana", "session accept", "1")
    await invoke(app, "ana", "session complete", "1")
    assert "isn't yours" in (await invoke(app, "ana", "session rate", "1 5")).text


async def test_reminders_fire_once_for_both_and_not_after_cancel(
    app: App, clock: FixedClock
) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    await invoke(app, "bob", "mentor request", '@ana general hi --when "2026-11-18 12:00"')
    await invoke(app, "ana", "session accept", "1")
    await invoke(app, "bob", "mentor request", "@ana general again")  # refused: open already
    sweep = job(app, "mentoring.reminders")
    clock.advance(timedelta(days=1, minutes=1))  # 24 h before: the first reminder
    await sweep(clock.now())
    await sweep(clock.now())
    reminders = [r for r in await outbox(app, "mentoring") if ":remind:" in r.dedupe_key]
    assert sorted(r.member_id for r in reminders) == sorted(
        [(await member(app, "ana")).id, (await member(app, "bob")).id]
    )
    await invoke(app, "bob", "session cancel", "1 something came up")
    clock.advance(timedelta(days=1))
    await sweep(clock.now())
    after = [r for r in await outbox(app, "mentoring") if ":remind:" in r.dedupe_key]
    assert len(after) == 2


async def test_sessions_lists_upcoming_and_past(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    await invoke(app, "bob", "mentor request", "@ana interview_prep mock interview")
    reply = await invoke(app, "bob", "sessions")
    assert "#1" in reply.text and "requested" in reply.text
    await invoke(app, "ana", "session decline", "1 busy this month")
    assert "no upcoming sessions" in (await invoke(app, "bob", "sessions")).text
    assert "declined" in (await invoke(app, "bob", "sessions", "past")).text


async def test_moderators_approve_and_see_low_ratings_and_no_shows(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    await invoke(app, "bob", "mentor request", "@ana general hi")
    await invoke(app, "ana", "session accept", "1")
    await invoke(app, "ana", "session complete", "1")
    await invoke(app, "bob", "session rate", "1 1 not helpful")
    await invoke(app, "bob", "mentor request", "@ana general again")
    await invoke(app, "ana", "session accept", "2")
    await invoke(app, "ana", "session noshow", "2")
    reply = await invoke(app, "mod", "admin mentor report", mod=True)
    assert "1★: “not helpful”" in reply.text and "#2" in reply.text
    await invoke(app, "mod", "admin mentor remove", "@ana", mod=True)
    assert "No mentors match" in (await invoke(app, "bob", "mentors")).text


# The shipped config.toml, without its per-minute rate limits (ten writes within one
# FixedClock minute are what this test replays, not what it is about).
SHIPPED = load_config(Path(__file__).parents[2] / "config.toml")


@pytest.mark.parametrize("config", [SHIPPED.model_copy(update={"limits": LimitsSection()})])
async def test_five_mentored_sessions_unlock_guide_and_rated_ones_give_xp(app: App) -> None:
    """With the shipped config.toml: its XP table and its achievements catalog."""
    await _mentor(app, "ana", '--topics "python" --capacity 5')
    for i in range(5):
        mentee = f"m{i}"
        await member(app, mentee)
        await invoke(app, mentee, "mentor request", "@ana general hi")
        await invoke(app, "ana", "session accept", str(i + 1))
        await invoke(app, "ana", "session complete", str(i + 1))
    await invoke(app, "m0", "session rate", "1 5")
    reply = await invoke(app, "ana", "achievements")
    assert "Guide" in reply.text and "🔒 Guide" not in reply.text
    ana = await member(app, "ana")
    async with app.database.reader.connect() as conn:
        rows = (
            await conn.execute(
                select(MemberCounterRow.counter, MemberCounterRow.value).where(
                    MemberCounterRow.member_id == ana.id
                )
            )
        ).all()
    counters = dict(rows)
    assert counters["sessions_mentored"] == 5
    assert "sessions_attended" not in counters  # the mentees attended, not the mentor
    # 40 XP for the rated session ([progress.xp.mentoring_session_rated]), 25 for Guide.
    assert counters["xp"] == 40 + 25


@pytest.mark.parametrize(
    "config", [CommunityConfig(mentoring=MentoringSection(who_may_mentor="approved"))]
)
async def test_approved_only_mentors_appear_after_a_moderator_approves(app: App) -> None:
    reply = await invoke(app, "ana", "mentor profile set", '--topics "python"')
    assert reply.footer and "moderator will approve" in reply.footer
    assert "No mentors match" in (await invoke(app, "bob", "mentor match", "python")).text
    assert (
        "isn't taking requests"
        in (await invoke(app, "bob", "mentor request", "@ana general hi")).text
    )
    await invoke(app, "mod", "admin mentor approve", "@ana", mod=True)
    reply = await invoke(app, "bob", "mentor match", "python")
    assert [m.display_name for m in reply.mentions] == ["ana"]


async def test_propose_another_time_ends_with_a_confirmation_to_both(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    bob = await member(app, "bob")
    ana = await member(app, "ana")
    await invoke(app, "bob", "settings timezone", "Europe/Berlin")
    await invoke(app, "bob", "mentor request", "@ana general hi")
    hint = await click(app, "ana", "mentoring.propose:1")
    assert '/session accept 1 --when "YYYY-MM-DD HH:MM"' in hint.text
    assert (
        "couldn't read" in (await invoke(app, "ana", "session accept", '1 --when "yesterday"')).text
    )
    reply = await invoke(app, "ana", "session accept", '#1 --when "2026-11-19 18:30"')
    assert "Confirmed: session **#1**" in reply.text and "Thu 19 Nov 18:30 (UTC)" in reply.text
    dms = {
        int(r.member_id): r.payload["text"]
        for r in await outbox(app, "mentoring")
        if ":request:" not in r.dedupe_key  # the accept's DMs, not ana's request card
    }
    assert "proposed another time" in dms[int(bob.id)]
    assert "Thu 19 Nov 19:30 (Europe/Berlin)" in dms[int(bob.id)]  # bob's own clock
    assert "Confirmed" in dms[int(ana.id)] and "18:30 (UTC)" in dms[int(ana.id)]
    again = await invoke(app, "ana", "session accept", '1 --when "2026-11-19 18:30"')
    assert "is **scheduled**" in again.text  # a second accept changes nothing


async def test_after_rating_the_mentee_adds_a_comment_once(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    await invoke(app, "bob", "mentor request", "@ana general hi")
    await invoke(app, "ana", "session accept", "1")
    await invoke(app, "ana", "session complete", "1")
    early = await invoke(app, "bob", "session comment", "1 great")
    assert "Rate session **#1** first" in early.text
    rated = await click(app, "bob", "mentoring.rate:1:4")
    assert rated.footer is not None and "/session comment 1" in rated.footer
    assert [b.action_id for b in rated.buttons] == ["mentoring.comment:1"]
    hint = await click(app, "bob", "mentoring.comment:1")  # the console has no forms
    assert "`/session comment 1`" in hint.text
    assert "isn't yours" in (await invoke(app, "ana", "session comment", "1 me me")).text
    done = await invoke(app, "bob", "session comment", "1 Clear and kind, thank you")
    assert "comment on session **#1** is saved" in done.text
    again = await invoke(app, "bob", "session comment", "1 changed my mind")
    assert "already has your comment" in again.text
    report = await invoke(app, "mod", "admin mentor report", mod=True)
    assert "Clear and kind" not in report.text  # 4★ is not a low rating
    async with app.database.reader.connect() as conn:
        stored = (await conn.execute(select(MentorRatingRow.comment))).scalar_one()
    assert stored == "Clear and kind, thank you"


async def test_session_numbers_are_read_by_the_shared_parser(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    for bad in ("99999999999", "0", "-1", "٣"):
        reply = await invoke(app, "ana", "session complete", bad)
        assert "couldn't find session" in reply.text, (bad, reply.text)
    stale = await click(app, "ana", "mentoring.accept:abc")
    assert "out of date" in stale.text


async def test_requests_to_non_mentors_and_yourself_are_refused(app: App) -> None:
    await _mentor(app, "ana", '--topics "python"')
    await member(app, "bob")
    assert (
        "no mentor profile" in (await invoke(app, "ana", "mentor request", "@bob general hi")).text
    )
    assert "with yourself" in (await invoke(app, "ana", "mentor request", "@ana general hi")).text
