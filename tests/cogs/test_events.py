"""Events through the runner: create, RSVP and waitlist, capacity, cancel, attendance, lists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from cogs.kit import Tone
from domain.core.clock import FixedClock
from storage.check import balance_mismatches
from tests.cogs.event_helpers import click, counts, create, enrol, outbox, rsvps
from tests.conftest import START, invoke

START_OF_DAY = START.replace(hour=0)


async def test_create_replies_with_an_anchored_card_and_posts_it_to_the_events_channel(
    app: App,
) -> None:
    reply = await create(app, '"Game night" tomorrow 18:00 --capacity 10 --where #voice')
    assert reply.title == "📅 #1 · Game night" and reply.anchor == "event:1"
    assert [b.action_id for b in reply.buttons] == [
        "event.rsvp:1:going",
        "event.rsvp:1:maybe",
        "event.rsvp:1:no",
    ]
    shown = {f.name: f.value for f in reply.fields}
    # Adapters render the token in each reader's zone; the console shows the fallback.
    assert shown["When"].startswith("<@t:1794938400:F|Tue 17 Nov 2026 18:00 UTC>")
    assert "<@t:1794938400:R|in 1d 6h>" in shown["When"]
    assert shown["Going"] == "**0** / 10" and shown["Where"] == "#voice"
    rows = await outbox(app)
    assert [(r.target, r.channel_kind, r.anchor) for r in rows] == [
        ("channel", "events", "event:1")
    ]


async def test_members_cannot_create_events_unless_configured(app: App) -> None:
    reply = await invoke(app, "ana", "event create", '"Picnic" tomorrow 12:00')
    assert reply.tone is Tone.ERROR and "Only moderators can create events" in reply.text
    assert await outbox(app) == []


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('"Gig" yesterday 18:00', "already passed"),
        ('"Gig" tomorrow', "at what time"),
        ('"Gig" 01/02/2027 10:00', "could be Mon 01 Feb 2027 10:00 or Sat 02 Jan 2027 10:00"),
        ('"Gig" tomorrow 18:00 --ends "tomorrow 17:00"', "must end after it starts"),
        ('"Gig" tomorrow 18:00 --capacity 0', "capacity** must be at least 1"),
        ('"Gig" tomorrow 18:00 --capacity -3', "capacity** must be at least 1"),
        ('"Gig" tomorrow 18:00 --repeat FREQ=MINUTELY', "more often than hourly"),
        ('"Gig" tomorrow 18:00 --timezone Mars/Olympus', "Mars/Olympus"),
        ('"' + "x" * 101 + '" tomorrow 18:00', "at most 100 characters"),
        ('"Gig" tomorrow 18:00 --points 500', "at most **100** points"),
        ('"Gig" tomorrow 18:00 --signup-closes "in 3 days at noon"', "close before the event"),
    ],
)
async def test_bad_input_is_refused_naming_the_rule_and_changes_nothing(
    app: App, line: str, words: str
) -> None:
    reply = await invoke(app, "mia", "event create", line, mod=True)
    assert reply.tone is Tone.ERROR and words in reply.text, reply.text
    assert await outbox(app) == []
    assert (await invoke(app, "mia", "events")).text == "No events here."


async def test_going_on_a_full_event_joins_the_waitlist_and_a_drop_out_promotes_once(
    app: App,
) -> None:
    await create(app, '"Board games" tomorrow 18:00 --capacity 2')
    for who in ("ana", "bo"):
        assert "You're going" in (await invoke(app, who, "event rsvp", "1 going")).text
    waiting = await invoke(app, "cy", "event rsvp", "1 going")
    assert waiting.tone is Tone.WARNING and "**#1** on the waitlist" in waiting.text
    second = await click(app, "dee", "event.rsvp:1:going")
    assert "**#2** on the waitlist" in second.text
    again = await invoke(app, "cy", "event rsvp", "1 going")
    assert "still **#1**" in again.text
    assert await counts(app) == (2, 0, 2)

    await invoke(app, "ana", "event rsvp", "1 no")
    assert await counts(app) == (2, 0, 1)
    dms = [r for r in await outbox(app) if r.kind == "event.promoted"]
    assert len(dms) == 1 and dms[0].target == "dm"
    assert "you're now **going**" in dms[0].payload["text"]
    # Answering "no" again changes nothing and promotes nobody else.
    await invoke(app, "ana", "event rsvp", "1 no")
    assert len([r for r in await outbox(app) if r.kind == "event.promoted"]) == 1
    answers = await rsvps(app)
    assert len(answers["going"]) == 2 and len(answers["waitlisted"]) == 1


async def test_raising_the_capacity_promotes_the_waitlist_in_order(app: App) -> None:
    await create(app, '"Workshop" tomorrow 18:00 --capacity 1')
    for who in ("ana", "bo", "cy", "dee"):
        await invoke(app, who, "event rsvp", "1 going")
    denied = await invoke(app, "ana", "event capacity", "1 3")
    assert denied.tone is Tone.ERROR and "Only the host (mia) or a moderator" in denied.text
    lowered = await invoke(app, "mia", "event capacity", "1 3", mod=True)
    assert lowered.tone is Tone.SUCCESS and "2 members moved up" in lowered.text
    answers = await rsvps(app)
    going = [m for m, _ in answers["going"]]
    assert len(going) == 3 and len(answers["waitlisted"]) == 1
    assert await counts(app) == (3, 0, 1)
    too_low = await invoke(app, "mia", "event capacity", "1 2", mod=True)
    assert too_low.tone is Tone.ERROR and "**3** members are already going" in too_low.text


async def test_rsvp_to_a_cancelled_or_started_event_is_refused(app: App, clock: FixedClock) -> None:
    await create(app, '"Talk" tomorrow 18:00')
    await invoke(app, "ana", "event rsvp", "1 going")
    done = await invoke(app, "mia", "event cancel", "1", mod=True)
    assert done.tone is Tone.SUCCESS and "1 member told" in done.text
    refused = await invoke(app, "bo", "event rsvp", "1 going")
    assert refused.tone is Tone.ERROR and "was cancelled" in refused.text
    dms = [r for r in await outbox(app) if r.kind == "event.cancelled"]
    assert len(dms) == 1 and "was cancelled by the host" in dms[0].payload["text"]

    await create(app, '"Later" tomorrow 18:00')
    clock.advance(timedelta(days=2))
    late = await invoke(app, "bo", "event rsvp", "2 going")
    assert late.tone is Tone.ERROR and "already started" in late.text


async def test_signup_closes_before_the_start_but_no_stays_possible(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Dinner" tomorrow 18:00 --signup-closes "tomorrow 12:00" --capacity 5')
    await invoke(app, "ana", "event rsvp", "1 going")
    clock.advance(timedelta(days=1, hours=1))  # Tue 13:00
    closed = await invoke(app, "bo", "event rsvp", "1 going")
    assert closed.tone is Tone.ERROR and "Sign-up for #1 “Dinner” closed" in closed.text
    assert (await invoke(app, "ana", "event rsvp", "1 no")).tone is Tone.SUCCESS


async def test_a_weekly_series_has_rsvps_per_date_and_cancels_one_or_all(app: App) -> None:
    card = await create(app, '"Study night" tomorrow 18:00 --repeat weekly --capacity 3')
    assert card.title == "📅 #1.1 · Study night"
    assert "every week · date 1 of 105" in {f.name: f.value for f in card.fields}["Repeats"]
    await invoke(app, "ana", "event rsvp", "1 going")  # the next date
    await invoke(app, "bo", "event rsvp", "1.2 going")
    assert await counts(app, 1) == (1, 0, 0) and await counts(app, 2) == (1, 0, 0)
    one = await invoke(app, "mia", "event cancel", "1.2", mod=True)
    assert "Cancelled #1.2" in one.text
    assert (await invoke(app, "bo", "event rsvp", "1.2 going")).tone is Tone.ERROR
    assert (await invoke(app, "bo", "event rsvp", "1.3 going")).tone is Tone.SUCCESS
    every = await invoke(app, "mia", "event cancel", "1 --all", mod=True)
    assert "104 dates" in every.text and "2 members told" in every.text
    series_dms = [r for r in await outbox(app) if r.dedupe_key.startswith("event:1:series")]
    assert len(series_dms) == 2


async def test_attendance_pays_once_per_member_per_date_through_the_ledger(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Hack evening" tomorrow 18:00 --points 25')
    await enrol(app, ["ana", "bo"])
    early = await invoke(app, "mia", "event attended", "1 @ana", mod=True)
    assert early.tone is Tone.ERROR and "hasn't started yet" in early.text
    clock.advance(timedelta(days=1, hours=6, minutes=30))  # during the event
    denied = await invoke(app, "ana", "event attended", "1 @bo")
    assert denied.tone is Tone.ERROR
    marked = await invoke(app, "mia", "event attended", "1 @ana @bo @ana", mod=True)
    assert marked.tone is Tone.SUCCESS and "ana, bo" in marked.text and "+25" in marked.text
    again = await invoke(app, "mia", "event attended", "1 @ana", mod=True)
    assert "Already marked before" in again.text
    assert "**25** points" in (await invoke(app, "ana", "points balance")).text
    assert await balance_mismatches(app.database.reader) == []
    unknown = await invoke(app, "mia", "event attended", "1 @nobody", mod=True)
    assert unknown.tone is Tone.ERROR and "nobody" in unknown.text


async def test_the_checkin_button_works_for_going_members_during_the_window(
    app: App, clock: FixedClock
) -> None:
    await create(app, '"Office hours" tomorrow 18:00 --points 5')
    await invoke(app, "ana", "event rsvp", "1 going")
    await invoke(app, "bo", "event rsvp", "1 maybe")
    early = await click(app, "ana", "event.checkin:1")
    assert early.tone is Tone.ERROR and "Check-in for #1 is open from" in early.text
    clock.advance(timedelta(days=1, hours=5, minutes=50))  # 10 minutes before the start
    card = await invoke(app, "ana", "event show", "1")
    assert card.buttons[-1].action_id == "event.checkin:1"
    assert "Checked in" in (await click(app, "ana", "event.checkin:1")).text
    assert "Nothing" not in (await click(app, "ana", "event.checkin:1")).text
    not_going = await click(app, "bo", "event.checkin:1")
    assert not_going.tone is Tone.ERROR and "Only members going" in not_going.text
    assert "**5** points" in (await invoke(app, "ana", "points balance")).text


async def test_lists_show_upcoming_mine_and_past(app: App, clock: FixedClock) -> None:
    await create(app, '"Soon" tomorrow 18:00')
    await create(app, '"Later" in 3 days at noon --repeat daily')
    await invoke(app, "ana", "event rsvp", "2 going")
    upcoming = await invoke(app, "ana", "events")
    assert upcoming.text.index("Soon") < upcoming.text.index("Later")
    assert upcoming.text.count("Later") == 1  # one line per series: its next date
    mine = await invoke(app, "ana", "events", "mine")
    assert "Later" in mine.text and "Soon" not in mine.text
    clock.advance(timedelta(days=2))
    past = await invoke(app, "ana", "events", "past")
    assert "Soon" in past.text and "Later" not in past.text


async def test_attending_five_events_unlocks_regular_and_advances_an_events_quest(
    app: App, clock: FixedClock
) -> None:
    quest = await invoke(app, "mia", "admin quest create", '"Show up" events 2 20', mod=True)
    assert quest.tone is not Tone.ERROR, quest.text
    await create(app, '"Daily standup" tomorrow 09:00 --repeat daily --points 1')
    await enrol(app, ["ana"])
    for n in range(1, 6):
        clock.set(START_OF_DAY + timedelta(days=n, hours=9, minutes=5))
        done = await invoke(app, "mia", "event attended", f"1.{n} @ana", mod=True)
        assert done.tone is Tone.SUCCESS, done.text
    shown = await invoke(app, "ana", "achievements")
    everything = shown.text + str(shown.fields)
    assert "Regular" in everything and "Attend 5 events" in everything
    quests = await invoke(app, "ana", "quests")
    assert "Show up" in str(quests.fields) + quests.text
    # 5 attendance points + the quest's 20, each paid once.
    assert "**25** points" in (await invoke(app, "ana", "points balance")).text
    assert await balance_mismatches(app.database.reader) == []
