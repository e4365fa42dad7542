"""iCalendar output: one event's `.ics` and the subscription feeds (RFC 5545).

The `icalendar` library writes the file (escaping, folding, VTIMEZONE from the
zone database); a series is one VEVENT with its RRULE and a cancelled date is
an override with STATUS:CANCELLED, so calendars expand the same dates we store.
The UID never changes for a series; SEQUENCE counts its edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from domain.events import Event, EventStatus, Occurrence, SeriesForFeed

PRODID = "-//Guildhall//Events//EN"


def uid(event: Event) -> str:
    """Stable across edits, unique across communities."""
    return f"guildhall-event-{event.id}-{event.community_id}@guildhall"


def _vevent(event: Event, occ: Occurrence, stamp: datetime, status: str) -> VEvent:
    zone = ZoneInfo(event.timezone)
    item = VEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", occ.starts_at.astimezone(zone))
    item.add("dtend", occ.ends_at.astimezone(zone))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    if event.where:
        item.add("location", event.where)
    item.add("sequence", event.sequence)
    item.add("status", status)
    return item


def _series(cal: Calendar, series: SeriesForFeed, stamp: datetime) -> None:
    event, occurrences = series.event, series.occurrences
    first = occurrences[0]
    cancelled = event.status is EventStatus.CANCELLED or (
        event.rule is None and first.status is EventStatus.CANCELLED
    )
    main = _vevent(event, first, stamp, "CANCELLED" if cancelled else "CONFIRMED")
    if event.rule is not None:
        main.add("rrule", vRecur.from_ical(event.rule))
    cal.add_component(main)
    if event.rule is None or cancelled:
        return
    zone = ZoneInfo(event.timezone)
    for occ in occurrences:
        if occ.status is EventStatus.CANCELLED:
            override = _vevent(event, occ, stamp, "CANCELLED")
            override.add("recurrence-id", occ.starts_at.astimezone(zone))
            cal.add_component(override)


def calendar(series: Iterable[SeriesForFeed], stamp: datetime, name: str) -> bytes:
    """A VCALENDAR with every series given, and the VTIMEZONEs they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for s in series:
        if s.occurrences:
            _series(cal, s, stamp)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
