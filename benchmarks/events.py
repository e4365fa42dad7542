"""Events in the community day: concurrent RSVPs near capacity, and a 500-event iCal feed.

The RSVP operation opens 20 events whose places are a little fewer than the
day's "Going" answers, so the run crosses the capacity and fills waitlists;
about one answer in five is a member dropping out again (promoting the first
waiting). The feed timing renders the community-wide calendar of 500 series
(half of them weekly), as `GET /ical/<token>.ics` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from benchmarks.ops import Day, Operation
from benchmarks.stats import median
from bot.app import App
from cogs.events import ical
from cogs.kit import Invocation
from domain.core.ids import CommunityId, MemberId
from domain.events import EventRepository, FeedOwner, FeedRepository
from domain.events.model import NewEvent
from domain.events.recurrence import expand

EVENTS = 20
FEED_SERIES = 500


async def prepare_rsvp(day: Day) -> str | None:
    """Open 20 events; their places add up to about 80% of the day's Going answers."""
    if day.app.registry.command("event create") is None:
        return "needs /event create"
    going = max(EVENTS, int(day.seeded.members * RSVP.per_member * 0.8))
    capacity = max(1, int(going * 0.8) // EVENTS)
    day.proposals = []  # reused as the events' numbers
    for i in range(EVENTS):
        host = (day.repeat * EVENTS + i) % day.seeded.members + 1
        reply = await day.app.runner.dispatch(
            day.invocation(
                host,
                "event create",
                f'"Bench {day.repeat}-{i}" tomorrow 18:00 --capacity {capacity}',
                mod=True,
            )
        )
        if reply is None or not (reply.anchor or "").startswith("event:"):
            return f"could not create an event: {reply.text[:80] if reply else 'no reply'}"
        title = reply.title or ""
        day.proposals.append(int(title.split("#", 1)[1].split(" ", 1)[0]))
    return None


def plan_rsvp(day: Day, count: int) -> list[Invocation]:
    """Going answers spread over the events; some members drop out after answering."""
    out: list[Invocation] = []
    n = day.seeded.members
    answered: list[tuple[int, int]] = []
    while len(out) < count:
        if answered and day.rng.random() < 0.2:
            member, event = answered.pop(day.rng.randrange(len(answered)))
            out.append(day.invocation(member, "event rsvp", f"{event} no"))
            continue
        member, event = day.rng.randint(1, n), day.rng.choice(day.proposals)
        answered.append((member, event))
        out.append(day.invocation(member, "event rsvp", f"{event} going"))
    return out


RSVP = Operation(
    "event rsvp",
    "event rsvp",
    0.3,
    plan_rsvp,
    prepare=prepare_rsvp,
)
EVENT_OPERATIONS: tuple[Operation, ...] = (RSVP,)


async def ical_feed(app: App, community_id: int, say: Callable[[str], None]) -> dict[str, Any]:
    """Store 500 series (half weekly for a year), then time rendering the community feed."""
    if app.registry.command("event create") is None:
        return {"status": "skipped", "reason": "feature not installed"}
    now = app.clock.now()
    community = CommunityId(community_id)
    async with app.uow() as uow:
        repo = uow.get(EventRepository)
        for i in range(FEED_SERIES):
            start = now + timedelta(days=1 + i % 30, hours=i % 8)
            rule = "FREQ=WEEKLY" if i % 2 else None
            starts, stored = expand(rule, start, "Europe/Berlin", max_count=52, max_years=1)
            await repo.add(
                NewEvent(
                    community_id=community,
                    host_id=MemberId(1),
                    title=f"Feed {i}",
                    description="An event in the feed benchmark",
                    where="#voice",
                    timezone="Europe/Berlin",
                    duration=timedelta(hours=1),
                    capacity=None,
                    points=0,
                    rule=stored,
                    signup_lead=None,
                    starts=starts,
                    created_at=now,
                )
            )
        await uow.commit()
    timings = []
    size = 0
    for _ in range(5):
        started = time.perf_counter()
        async with app.uow(read_only=True) as uow:
            series = await uow.get(FeedRepository).feed(FeedOwner(community, None), now)
        body = ical.calendar(series, now, "bench")
        timings.append(time.perf_counter() - started)
        size = len(body)
    ms = round(median(timings) * 1000, 1)
    say(f"ical feed     {ms:.1f} ms for {len(series)} series ({size / 1024:.0f} KiB)")
    return {"series": len(series), "median_ms": ms, "bytes": size}
