"""Calendar files and feeds: validated by parsing them back (icalendar, recurring-ical-events)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.events_http import ical_routes
from bot.web import create_web_app
from domain.core.clock import FixedClock
from tests.cogs.event_helpers import create
from tests.conftest import invoke


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient]:
    server = TestServer(create_web_app(ical_routes(app)), host="127.0.0.1")
    async with TestClient(server) as test_client:
        yield test_client


def _token(text: str) -> str:
    return text.split("/ical/")[1].split(".ics")[0]


async def test_event_ics_has_a_vtimezone_a_stable_uid_and_a_sequence_bumped_on_change(
    app: App,
) -> None:
    await create(app, '"Study night" "2026-11-17 18:00" --repeat weekly --timezone Europe/Berlin')
    first = await invoke(app, "ana", "event ical", "1")
    assert first.file is not None and first.file.content_type == "text/calendar"
    cal = icalendar.Calendar.from_ical(first.file.data)
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    (vevent,) = cal.walk("VEVENT")
    assert vevent["DTSTART"].dt == datetime(2026, 11, 17, 18, 0, tzinfo=vevent["DTSTART"].dt.tzinfo)
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert vevent["RRULE"]["FREQ"] == ["WEEKLY"] and vevent["RRULE"]["COUNT"] == [105]
    uid, sequence = str(vevent["UID"]), int(vevent["SEQUENCE"])

    await invoke(app, "mia", "event cancel", "1.2", mod=True)
    after = icalendar.Calendar.from_ical((await invoke(app, "ana", "event ical", "1")).file.data)  # type: ignore[union-attr]
    main, override = after.walk("VEVENT")
    assert str(main["UID"]) == uid and int(main["SEQUENCE"]) == sequence + 1
    assert str(override["STATUS"]) == "CANCELLED" and str(override["UID"]) == uid
    # Expanded by a second parser: 18:00 Berlin every week, the cancelled date left out,
    # the wall clock unchanged across the March change.
    dates = recurring_ical_events.of(after).between(date(2026, 11, 1), date(2027, 4, 30))
    starts = [e["DTSTART"].dt for e in dates if str(e.get("STATUS")) != "CANCELLED"]
    assert starts[0].strftime("%Y-%m-%d %H:%M") == "2026-11-17 18:00"
    assert all(s.strftime("%H:%M") == "18:00" for s in starts)
    assert "2026-11-24" not in {s.strftime("%Y-%m-%d") for s in starts}
    assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}


async def test_a_cancelled_one_off_event_is_status_cancelled(app: App) -> None:
    await create(app, '"Talk" tomorrow 18:00')
    await invoke(app, "mia", "event cancel", "1", mod=True)
    reply = await invoke(app, "ana", "event ical", "1")
    (vevent,) = icalendar.Calendar.from_ical(reply.file.data).walk("VEVENT")  # type: ignore[union-attr]
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1


async def test_the_member_feed_serves_the_events_they_are_going_to_until_reset(
    app: App, client: TestClient
) -> None:
    await create(app, '"Going one" tomorrow 18:00 --repeat FREQ=WEEKLY;BYDAY=TU,TH')
    await create(app, '"Not going" tomorrow 19:00')
    await invoke(app, "ana", "event rsvp", "1 going")
    reply = await invoke(app, "ana", "events", "feed")
    assert "http://localhost:8080/ical/" in reply.text
    token = _token(reply.text)
    assert _token((await invoke(app, "ana", "events", "feed")).text) == token  # the same link

    response = await client.get(f"/ical/{token}.ics")
    assert response.status == 200 and response.content_type == "text/calendar"
    cal = icalendar.Calendar.from_ical(await response.read())
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Going one"]
    (vevent,) = cal.walk("VEVENT")
    assert vevent["RRULE"]["BYDAY"] == ["TU", "TH"]
    week = recurring_ical_events.of(cal).between(date(2026, 11, 16), date(2026, 11, 23))
    assert [e["DTSTART"].dt.strftime("%a") for e in week] == ["Tue", "Thu"]

    await invoke(app, "ana", "events", "feed reset")
    assert (await client.get(f"/ical/{token}.ics")).status == 404
    assert (await client.get("/ical/AAAAAAAAAAAAAAAAAAAAAAAA.ics")).status == 404


async def test_the_community_feed_is_for_moderators_and_lists_every_event(
    app: App, client: TestClient
) -> None:
    await create(app, '"One" tomorrow 18:00')
    await create(app, '"Two" tomorrow 19:00')
    denied = await invoke(app, "ana", "events", "feed --community")
    assert "moderators" in denied.text.lower()
    reply = await invoke(app, "mia", "events", "feed --community", mod=True)
    response = await client.get(f"/ical/{_token(reply.text)}.ics")
    cal = icalendar.Calendar.from_ical(await response.read())
    assert sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")) == ["One", "Two"]


async def test_times_render_per_platform(app: App, clock: FixedClock) -> None:
    from bot.console.render import render as console
    from bot.discord.render import text_of
    from bot.slack.blocks import mrkdwn, plain

    card = await create(app, '"Game night" tomorrow 18:00 --timezone America/New_York')
    when = {f.name: f.value for f in card.fields}["When"]
    at = int(datetime(2026, 11, 17, 23, 0, tzinfo=UTC).timestamp())
    assert text_of(when, card) == f"<t:{at}:F> (<t:{at}:R>)"
    assert mrkdwn(when).startswith(
        f"<!date^{at}^{{date_long_pretty}} at {{time}}|Tue 17 Nov 2026 18:00 EST>"
    )
    assert plain(when) == "Tue 17 Nov 2026 18:00 EST (in 1d 11h)"
    assert "When: Tue 17 Nov 2026 18:00 EST (in 1d 11h)" in console(card)
    del clock
