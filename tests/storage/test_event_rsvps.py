"""RSVPs under load and across restarts — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from bot.app import App
from cogs.kit import Reply, Tone
from tests.cogs.event_helpers import click, counts, create, enrol, outbox, rsvps
from tests.conftest import invoke


async def test_50_concurrent_going_clicks_on_capacity_10_leave_10_going_and_40_waitlisted(
    app: App,
) -> None:
    await create(app, '"Hackathon kickoff" tomorrow 18:00 --capacity 10')
    members = [f"m{i:02}" for i in range(50)]
    await enrol(app, members)
    replies: list[Reply] = await asyncio.gather(
        *(click(app, who, "event.rsvp:1:going") for who in members)
    )
    assert app.runner.unhandled_errors == 0
    going = [r for r in replies if r.tone is Tone.SUCCESS]
    waiting = [r for r in replies if r.tone is Tone.WARNING]
    assert len(going) == 10 and len(waiting) == 40
    answers = await rsvps(app)
    assert len(answers["going"]) == 10 and len(answers["waitlisted"]) == 40
    # Click order as the database applied them: the first ten answers are going,
    # and the waitlist holds the rest in the order they arrived.
    seqs_going = sorted(seq for _, seq in answers["going"])
    seqs_waiting = [seq for _, seq in answers["waitlisted"]]
    assert seqs_going == list(range(1, 11)) and seqs_waiting == list(range(11, 51))
    positions = sorted(int(r.text.split("**#")[1].split("**")[0]) for r in waiting)
    assert positions == list(range(1, 41))
    assert await counts(app) == (10, 0, 40)


async def test_10_concurrent_cancellations_promote_exactly_10_in_waitlist_order(
    app: App,
) -> None:
    await create(app, '"Meetup" tomorrow 18:00 --capacity 10')
    members = [f"p{i:02}" for i in range(30)]
    await enrol(app, members)
    for who in members:  # one at a time: p00-p09 going, p10-p29 waitlisted in order
        await invoke(app, who, "event rsvp", "1 going")
    before = await rsvps(app)
    first_waiting = [m for m, _ in before["waitlisted"][:10]]
    replies = await asyncio.gather(*(click(app, who, "event.rsvp:1:no") for who in members[:10]))
    assert all(r.tone is Tone.SUCCESS for r in replies)
    assert app.runner.unhandled_errors == 0
    after = await rsvps(app)
    assert sorted(m for m, _ in after["going"]) == sorted(first_waiting)
    assert len(after["waitlisted"]) == 10 and len(after["no"]) == 10
    assert await counts(app) == (10, 0, 10)
    promoted = [r for r in await outbox(app) if r.kind == "event.promoted"]
    assert sorted(r.member_id for r in promoted) == sorted(first_waiting)


async def test_a_double_click_is_one_answer(app: App) -> None:
    await create(app, '"Quiz" tomorrow 18:00 --capacity 1')
    await enrol(app, ["ana"])
    first, second = await asyncio.gather(
        click(app, "ana", "event.rsvp:1:going", key="same"),
        click(app, "ana", "event.rsvp:1:going", key="same"),
    )
    assert {first.tone, second.tone} <= {Tone.SUCCESS, Tone.ERROR}
    assert await counts(app) == (1, 0, 0)
