"""Events: create, RSVP with capacity and a waitlist, cancel, attendance rewards.

Every RSVP first locks its occurrence's row (PostgreSQL `FOR UPDATE`; SQLite's
single writer already serialises), so the going count, the waitlist order and
promotions are decided one answer at a time: 50 concurrent "Going" clicks on a
capacity of 10 leave exactly 10 going. The database also refuses a going
count above the capacity (a CHECK constraint), whatever the code above it does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.core.clock import Clock
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.events.activities import EventAttended
from domain.events.config import Creators, EventsSection
from domain.events.errors import (
    CapacityBelowGoingError,
    CheckinClosedError,
    CreateNotAllowedError,
    EndBeforeStartError,
    EventCancelledError,
    EventGoneError,
    EventNotFoundError,
    EventStartedError,
    NotGoingError,
    NotHostError,
    NotStartedError,
    PointsTooHighError,
    SignupAfterStartError,
    SignupClosedError,
)
from domain.events.model import (
    Answer,
    Attendance,
    Cancelled,
    EventDraft,
    EventStatus,
    EventView,
    NewEvent,
    OccurrenceId,
    Rsvp,
    RsvpResult,
    parse_ref,
)
from domain.events.recurrence import expand, normalise_rule
from domain.events.repository import CountChange, EventRepository
from domain.events.when import parse_when, zone_of
from domain.identity.model import Community, Member

if TYPE_CHECKING:
    from domain.points import PointsService

_COUNTER = {Answer.GOING: "going", Answer.MAYBE: "maybe", Answer.WAITLISTED: "waitlisted"}


class EventService:
    """Rules of events; storage through `EventRepository`, points through the ledger."""

    def __init__(self, clock: Clock, config: EventsSection, points: PointsService) -> None:
        self._clock = clock
        self._config = config
        self._points = points

    # -- reading -----------------------------------------------------------------

    async def find(self, uow: UnitOfWork, community_id: int, ref: str) -> EventView:
        """The occurrence `ref` names ("3" or "3.2").

        Raises:
            BadEventIdError, EventNotFoundError.
        """
        event_id, number = parse_ref(ref)
        view = await uow.get(EventRepository).view(
            CommunityId(community_id),
            event_id,
            number,
            self._clock.now(),
        )
        if view is None:
            raise EventNotFoundError(what=str(ref).strip().lstrip("#")[:20])
        return view

    async def by_occurrence(self, uow: UnitOfWork, occurrence_id: OccurrenceId) -> EventView:
        view = await uow.get(EventRepository).view_of(occurrence_id)
        if view is None:
            raise EventGoneError()
        return view

    # -- creating ----------------------------------------------------------------

    async def create(
        self,
        uow: UnitOfWork,
        community: Community,
        host: Member,
        draft: EventDraft,
        *,
        is_moderator: bool,
    ) -> EventView:
        """Store a new event and every occurrence of its series.

        Raises:
            CreateNotAllowedError: only moderators may create events here.
            UnknownTimezoneError, WhenUnclearError, WhenAmbiguousError,
            WhenWithoutTimeError, WhenInPastError: `when` (or `--ends`,
            `--signup-closes`) is not a clear future time.
            EndBeforeStartError: `--ends` is not after the start.
            SignupAfterStartError: sign-up would close after the start.
            PointsTooHighError: more points than `events.max_points`.
            BadRuleError, RuleTooFrequentError: `--repeat` is not usable.
        """
        cfg = self._config
        if cfg.who_can_create is Creators.MODERATORS and not is_moderator:
            raise CreateNotAllowedError()
        zone = (draft.timezone or host.timezone or community.timezone).strip()
        zone_of(zone)
        now = self._clock.now()
        start = parse_when(draft.when, now, zone)
        duration = draft.duration
        if draft.ends:
            end = parse_when(draft.ends, now, zone)
            if end <= start:
                raise EndBeforeStartError(start=start, end=end)
            duration = end - start
        points = cfg.default_points if draft.points is None else draft.points
        if points > cfg.max_points:
            raise PointsTooHighError(points=points, maximum=cfg.max_points)
        signup_lead: timedelta | None = None
        if draft.signup_closes:
            closes = parse_when(draft.signup_closes, now, zone)
            if closes > start:
                raise SignupAfterStartError(closes=closes, start=start)
            signup_lead = start - closes
        rule = normalise_rule(draft.repeat) if draft.repeat else None
        starts, stored_rule = expand(
            rule, start, zone, max_count=cfg.max_occurrences, max_years=cfg.max_years
        )
        new = NewEvent(
            community_id=community.id,
            host_id=host.id,
            title=draft.title,
            description=draft.description,
            where=draft.where,
            timezone=zone,
            duration=duration,
            capacity=draft.capacity,
            points=points,
            rule=stored_rule,
            signup_lead=signup_lead,
            starts=starts,
            created_at=now,
        )
        return await uow.get(EventRepository).add(new)

    # -- answering ---------------------------------------------------------------

    async def rsvp(
        self, uow: UnitOfWork, member: Member, occurrence_id: OccurrenceId, answer: Answer
    ) -> RsvpResult:
        """Answer going, maybe or no; "going" on a full event joins the waitlist.

        Dropping out of "going" promotes the first on the waitlist, in the
        same transaction, exactly once.

        Raises:
            EventNotFoundError: no such occurrence.
            EventCancelledError: it was cancelled.
            EventStartedError: it has started (or ended).
            SignupClosedError: sign-up closed (answering "no" stays possible).
        """
        repo = uow.get(EventRepository)
        locked = await repo.lock(occurrence_id)
        if locked is None or locked[0].community_id != member.community_id:
            raise EventGoneError()
        occ, last_seq = locked
        view = await self.by_occurrence(uow, occurrence_id)
        now = self._clock.now()
        self._check_open(view, now)
        closes = occ.signup_closes(view.event)
        if answer is not Answer.NO and closes is not None and now >= closes:
            raise SignupClosedError(label=view.label, title=view.event.title, closes=closes)
        current = await repo.rsvp_of(occ.id, member.id)
        previous = current.answer if current else None
        if answer is Answer.GOING and previous in (Answer.GOING, Answer.WAITLISTED):
            position = (
                await repo.position(occ.id, current.seq)
                if current is not None and previous is Answer.WAITLISTED
                else None
            )
            return RsvpResult(view, previous, previous, position)
        if answer is previous:
            return RsvpResult(view, answer, previous, None)
        new = answer
        if answer is Answer.GOING and occ.full:
            new = Answer.WAITLISTED
        seq = last_seq + 1
        deltas = {"going": 0, "maybe": 0, "waitlisted": 0}
        if previous in _COUNTER:
            deltas[_COUNTER[previous]] -= 1
        if new in _COUNTER:
            deltas[_COUNTER[new]] += 1
        await repo.answer(occ.id, member.id, new, seq, CountChange(**deltas), now)
        promoted: tuple[Rsvp, ...] = ()
        if previous is Answer.GOING:
            promoted = await self._promote(uow, occ.id, now)
        position = await repo.position(occ.id, seq) if new is Answer.WAITLISTED else None
        view = await self.by_occurrence(uow, occ.id)
        return RsvpResult(view, new, previous, position, promoted)

    async def _promote(
        self, uow: UnitOfWork, occurrence_id: OccurrenceId, now: datetime
    ) -> tuple[Rsvp, ...]:
        """Move waitlisted members to going while there is room (row already locked)."""
        repo = uow.get(EventRepository)
        locked = await repo.lock(occurrence_id)
        assert locked is not None
        occ = locked[0]
        room = occ.waitlisted if occ.capacity is None else max(0, occ.capacity - occ.going)
        if room <= 0 or occ.waitlisted <= 0:
            return ()
        promoted = []
        for entry in await repo.waitlist(occurrence_id, room):
            # The waitlist place (seq) is kept: it tells the order they asked in.
            await repo.answer(
                occurrence_id,
                entry.member_id,
                Answer.GOING,
                entry.seq,
                CountChange(going=1, waitlisted=-1),
                now,
            )
            promoted.append(entry)
        return tuple(promoted)

    def _check_open(self, view: EventView, now: datetime) -> None:
        occ = view.occurrence
        if occ.status is EventStatus.CANCELLED or view.event.status is EventStatus.CANCELLED:
            raise EventCancelledError(label=view.label, title=view.event.title)
        if now >= occ.starts_at:
            raise EventStartedError(label=view.label, title=view.event.title)

    # -- the host and moderators ------------------------------------------------------

    def _check_host(self, view: EventView, actor: Member, is_moderator: bool) -> None:
        if not is_moderator and actor.id != view.event.host_id:
            raise NotHostError(label=view.label, host=view.event.host_name)

    async def set_capacity(
        self,
        uow: UnitOfWork,
        actor: Member,
        view: EventView,
        capacity: int | None,
        *,
        is_moderator: bool,
    ) -> tuple[EventView, tuple[Rsvp, ...]]:
        """Change one occurrence's capacity (None: unlimited); promote whoever now fits.

        Raises:
            NotHostError, EventCancelledError, EventStartedError,
            CapacityBelowGoingError: fewer places than members already going.
        """
        self._check_host(view, actor, is_moderator)
        repo = uow.get(EventRepository)
        locked = await repo.lock(view.occurrence.id)
        assert locked is not None
        occ = locked[0]
        now = self._clock.now()
        self._check_open(view, now)
        if capacity is not None and capacity < occ.going:
            raise CapacityBelowGoingError(capacity=capacity, going=occ.going)
        await repo.set_capacity(occ.id, capacity)
        promoted = await self._promote(uow, occ.id, now)
        await repo.touch(view.event.id, now)
        return await self.by_occurrence(uow, occ.id), promoted

    async def cancel(
        self,
        uow: UnitOfWork,
        actor: Member,
        view: EventView,
        *,
        whole_series: bool,
        is_moderator: bool,
    ) -> Cancelled:
        """Cancel one occurrence, or every one not yet started; name who should be told.

        Raises:
            NotHostError, EventCancelledError, EventStartedError (one occurrence).
        """
        self._check_host(view, actor, is_moderator)
        repo = uow.get(EventRepository)
        now = self._clock.now()
        if not whole_series:
            self._check_open(view, now)
        elif view.event.status is EventStatus.CANCELLED:
            raise EventCancelledError(label=str(view.event.id), title=view.event.title)
        only = None if whole_series else [view.occurrence.id]
        cancelled = await repo.cancel_occurrences(view.event.id, only, now)
        if whole_series:
            await repo.cancel_event(view.event.id)
        await repo.touch(view.event.id, now)
        told: dict[MemberId, None] = {}
        for occurrence_id in cancelled:
            answers = (Answer.GOING, Answer.MAYBE, Answer.WAITLISTED)
            for r in await repo.rsvps(occurrence_id, answers):
                told[r.member_id] = None
        fresh = await self.by_occurrence(uow, view.occurrence.id)
        return Cancelled(fresh, tuple(cancelled), whole_series, tuple(told))

    # -- attendance --------------------------------------------------------------------

    async def mark_attended(
        self,
        uow: UnitOfWork,
        actor: Member,
        view: EventView,
        members: list[Member],
        *,
        is_moderator: bool,
    ) -> list[Attendance]:
        """Record who attended; pay each the event's points once per occurrence.

        Raises:
            NotHostError, EventCancelledError,
            NotStartedError: the occurrence has not started yet.
        """
        self._check_host(view, actor, is_moderator)
        now = self._clock.now()
        if view.occurrence.status is EventStatus.CANCELLED:
            raise EventCancelledError(label=view.label, title=view.event.title)
        if now < view.occurrence.starts_at:
            raise NotStartedError(label=view.label, starts=view.occurrence.starts_at)
        return [await self._attend(uow, view, m, actor.id, now) for m in members]

    async def check_in(
        self, uow: UnitOfWork, member: Member, occurrence_id: OccurrenceId
    ) -> Attendance:
        """A going member checks themselves in during the event's window.

        Raises:
            NotGoingError: the member is not on the going list.
            CheckinClosedError: outside the window (opens before the start, ends at the end).
        """
        view = await self.by_occurrence(uow, occurrence_id)
        if view.event.community_id != member.community_id:
            raise EventGoneError()
        now = self._clock.now()
        occ = view.occurrence
        opens = occ.starts_at - timedelta(minutes=self._config.checkin_opens_minutes)
        if occ.status is EventStatus.CANCELLED:
            raise EventCancelledError(label=view.label, title=view.event.title)
        if not opens <= now <= occ.ends_at:
            raise CheckinClosedError(label=view.label, opens=opens, closes=occ.ends_at)
        mine = await uow.get(EventRepository).rsvp_of(occ.id, member.id)
        if mine is None or mine.answer is not Answer.GOING:
            raise NotGoingError(label=view.label)
        return await self._attend(uow, view, member, member.id, now)

    async def _attend(
        self, uow: UnitOfWork, view: EventView, member: Member, by: MemberId, now: datetime
    ) -> Attendance:
        occ, event = view.occurrence, view.event
        points = event.points if not member.is_locked else 0
        newly = await uow.get(EventRepository).attend(occ.id, member.id, by, points, now)
        paid = 0
        if newly:
            if points > 0:
                balance = await self._points.award(
                    uow,
                    member,
                    points,
                    source="event",
                    key=f"event:{occ.id}:attended:{member.id}",
                    reason=f"attended “{event.title}” ({view.label})",
                    actor_id=by,
                )
                paid = points if balance is not None else 0
            uow.record(
                EventAttended(
                    community_id=member.community_id,
                    member_id=member.id,
                    key=f"event:{occ.id}:attended:{member.id}",
                    occurred_at=now,
                    event_id=int(event.id),
                    occurrence_id=int(occ.id),
                )
            )
        return Attendance(member.id, member.display_name, newly, paid)
