"""Mentoring: profiles, matching, the session lifecycle and ratings.

Every transition is a conditional UPDATE from the states it may leave, so a
double click or two moderators at once change a session once; a mentor's
slots are taken by `active < capacity` in the database, so twenty accepts at
once schedule at most `capacity` sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from domain.core.clock import Clock
from domain.core.contracts import PerksReader, TierReader
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity import Member
from domain.mentoring.activities import session_completed, session_rated
from domain.mentoring.config import MentoringSection
from domain.mentoring.errors import (
    AlreadyCommentedError,
    AlreadyRatedError,
    CapacityBelowActiveError,
    DuplicateRequestError,
    MayNotMentorError,
    MentorFullError,
    MentorUnavailableError,
    NotAMentorError,
    NotRatedYetError,
    NotYourSessionError,
    SelfMentoringError,
    SessionNotFoundError,
    UnknownSessionTypeError,
    WrongSessionStateError,
)
from domain.mentoring.model import (
    OPEN_STATUSES,
    Match,
    MentorProfile,
    ProfileChanges,
    Session,
    SessionStatus,
)
from domain.mentoring.repository import MentoringRepository
from domain.mentoring.rules import parse_availability, rank_mentors
from domain.points import PointsService

REWARD_SOURCE = "mentoring"


class MentoringService:
    """The rules of mentoring; handlers call one method each."""

    def __init__(
        self,
        clock: Clock,
        section: MentoringSection,
        points: PointsService,
        community_tz: str,
        tiers: TierReader | None = None,
        perks: Callable[[], PerksReader | None] = lambda: None,
    ) -> None:
        self._clock = clock
        self.section = section
        self._points = points
        self._tz = community_tz
        self._tiers = tiers
        self._perks = perks  # a premium plan's extra mentees (payments, when installed)

    async def max_capacity(self, uow: UnitOfWork, member: Member) -> int:
        """The most mentees a mentor may take at once: the configured cap, plus premium's extra."""
        reader = self._perks()
        extra = (await reader.perks_of(uow, member.id)).extra_mentees if reader else 0
        return self.section.max_capacity + extra

    def now(self) -> datetime:
        return self._clock.now()

    # -- profiles ----------------------------------------------------------------

    async def set_profile(
        self, uow: UnitOfWork, member: Member, changes: ProfileChanges
    ) -> MentorProfile:
        """Create or change the caller's mentor profile.

        Raises:
            MayNotMentorError: the community's rule (tier, approval) does not allow it yet.
            UnknownSessionTypeError, BadAvailabilityError: invalid values.
            CapacityBelowActiveError: fewer slots than sessions already scheduled.
        """
        repo = uow.get(MentoringRepository)
        existing = await repo.profile(member.community_id, member.id)
        if existing is None and self.section.who_may_mentor == "tier":
            tier = await self._tiers.tier_of(uow, member.id) if self._tiers else None
            if tier is None or tier.tier_index < self.section.min_tier:
                raise MayNotMentorError(rule="tier", tier=self.section.min_tier)
        for t in changes.session_types or ():
            if t not in self.section.session_types:
                raise UnknownSessionTypeError(type=t, known=", ".join(self.section.session_types))
        if changes.availability:
            parse_availability(changes.availability)
        if changes.capacity is not None:
            cap = await self.max_capacity(uow, member)
            if changes.capacity > cap:
                changes = replace(changes, capacity=cap)
        approved = existing.approved if existing else self.section.who_may_mentor != "approved"
        saved = await repo.save_profile(
            member.community_id,
            member.id,
            changes,
            default_capacity=self.section.default_capacity,
            default_types=self.section.session_types,
            approved=approved,
            now=self._clock.now(),
        )
        if not saved:
            assert existing is not None
            raise CapacityBelowActiveError(active=existing.active)
        profile = await repo.profile(member.community_id, member.id)
        assert profile is not None
        return profile

    async def profile(self, uow: UnitOfWork, member: Member) -> MentorProfile:
        """Raises: NotAMentorError."""
        found = await uow.get(MentoringRepository).profile(member.community_id, member.id)
        if found is None:
            raise NotAMentorError(name=member.display_name)
        return found

    async def approve(self, uow: UnitOfWork, member: Member, approved: bool) -> MentorProfile:
        """A moderator approves (or removes) a mentor. Raises: NotAMentorError."""
        await self.profile(uow, member)
        await uow.get(MentoringRepository).set_approved(
            member.community_id, member.id, approved, self._clock.now()
        )
        return await self.profile(uow, member)

    # -- finding ------------------------------------------------------------------

    async def match(
        self, uow: UnitOfWork, seeker: Member, topic: str, session_type: str | None = None
    ) -> list[Match]:
        """Every eligible mentor for `topic`, best first (see `rules.rank_mentors`)."""
        if session_type and session_type not in self.section.session_types:
            raise UnknownSessionTypeError(
                type=session_type, known=", ".join(self.section.session_types)
            )
        repo = uow.get(MentoringRepository)
        since = self._clock.now() - timedelta(days=self.section.fairness_window_days)
        return rank_mentors(
            await repo.profiles(seeker.community_id),
            topic,
            seeker=seeker.id,
            seeker_tz=seeker.timezone or self._tz,
            session_type=session_type,
            recent_requests=await repo.recent_requests(seeker.community_id, since),
            section=self.section,
        )

    # -- sessions -----------------------------------------------------------------

    async def request(
        self,
        uow: UnitOfWork,
        mentee: Member,
        mentor: Member,
        session_type: str,
        message: str,
        starts_at: datetime | None,
    ) -> Session:
        """Ask `mentor` for a session.

        Raises:
            SelfMentoringError, NotAMentorError, MentorUnavailableError (paused or not
            approved), MentorFullError, UnknownSessionTypeError, DuplicateRequestError.
        """
        if mentor.id == mentee.id:
            raise SelfMentoringError()
        profile = await self.profile(uow, mentor)
        if profile.paused or not profile.approved:
            raise MentorUnavailableError(name=mentor.display_name)
        if profile.free_slots == 0:
            raise MentorFullError(name=mentor.display_name)
        if session_type not in profile.session_types:
            raise UnknownSessionTypeError(type=session_type, known=", ".join(profile.session_types))
        repo = uow.get(MentoringRepository)
        if await repo.open_between(mentor.id, mentee.id):
            raise DuplicateRequestError(name=mentor.display_name)
        return await repo.add_session(
            mentee.community_id,
            mentor.id,
            mentee.id,
            session_type,
            message,
            starts_at,
            self._clock.now(),
        )

    async def get(self, uow: UnitOfWork, community_id: CommunityId, session_id: int) -> Session:
        """Raises: SessionNotFoundError."""
        found = await uow.get(MentoringRepository).session(community_id, session_id)
        if found is None:
            raise SessionNotFoundError(id=session_id)
        return found

    async def accept(
        self, uow: UnitOfWork, mentor: Member, session_id: int, starts_at: datetime | None
    ) -> Session:
        """The mentor accepts (optionally at another time): one slot is taken.

        Raises:
            SessionNotFoundError, NotYourSessionError, WrongSessionStateError,
            MentorFullError (every slot taken: the database decides).
        """
        session = await self._own(uow, mentor, session_id, mentor_only=True)
        repo = uow.get(MentoringRepository)
        moved = await repo.move(
            session.id,
            (SessionStatus.REQUESTED,),
            SessionStatus.SCHEDULED,
            mentor.id,
            self._clock.now(),
            starts_at=starts_at,
        )
        if not moved:
            raise WrongSessionStateError(id=session.id, status=session.status.value)
        if not await repo.take_slot(mentor.id):
            raise MentorFullError(name=mentor.display_name)
        return await self.get(uow, mentor.community_id, session.id)

    async def decline(
        self, uow: UnitOfWork, mentor: Member, session_id: int, reason: str | None
    ) -> Session:
        session = await self._own(uow, mentor, session_id, mentor_only=True)
        await self._move(
            uow, session, (SessionStatus.REQUESTED,), SessionStatus.DECLINED, mentor, reason
        )
        return await self.get(uow, mentor.community_id, session.id)

    async def cancel(
        self, uow: UnitOfWork, member: Member, session_id: int, reason: str | None
    ) -> Session:
        """Either side cancels a requested or scheduled session; a scheduled one frees its slot."""
        session = await self._own(uow, member, session_id)
        await self._move(uow, session, OPEN_STATUSES, SessionStatus.CANCELLED, member, reason)
        if session.status is SessionStatus.SCHEDULED:
            await uow.get(MentoringRepository).free_slot(session.mentor_id, completed=False)
        return await self.get(uow, member.community_id, session.id)

    async def complete(self, uow: UnitOfWork, member: Member, session_id: int) -> Session:
        """Either side marks a scheduled session done; it frees the slot and counts."""
        session = await self._own(uow, member, session_id)
        await self._move(
            uow, session, (SessionStatus.SCHEDULED,), SessionStatus.COMPLETED, member, None
        )
        await uow.get(MentoringRepository).free_slot(session.mentor_id, completed=True)
        for activity in session_completed(session, self._clock.now()):
            uow.record(activity)
        return await self.get(uow, member.community_id, session.id)

    async def no_show(self, uow: UnitOfWork, member: Member, session_id: int) -> Session:
        """The mentor records that the mentee did not come (or the mentee, the mentor)."""
        session = await self._own(uow, member, session_id)
        await self._move(
            uow, session, (SessionStatus.SCHEDULED,), SessionStatus.NO_SHOW, member, None
        )
        await uow.get(MentoringRepository).free_slot(session.mentor_id, completed=False)
        return await self.get(uow, member.community_id, session.id)

    async def rate(
        self, uow: UnitOfWork, mentee: Member, session_id: int, stars: int, comment: str | None
    ) -> tuple[Session, int | None]:
        """The mentee rates a completed session once; the mentor earns the reward once.

        Returns the session and the points the mentor earned (None: no reward).

        Raises:
            NotYourSessionError (only its mentee), WrongSessionStateError (not completed),
            AlreadyRatedError.
        """
        session = await self.get(uow, mentee.community_id, session_id)
        if session.mentee_id != mentee.id:
            raise NotYourSessionError(id=session_id)
        if session.status is not SessionStatus.COMPLETED:
            raise WrongSessionStateError(id=session.id, status=session.status.value)
        repo = uow.get(MentoringRepository)
        if not await repo.rate(session, stars, comment, self._clock.now()):
            raise AlreadyRatedError(id=session.id)
        earned: int | None = None
        if self.section.reward_points > 0:
            from domain.identity import IdentityRepository

            mentor = await uow.get(IdentityRepository).get_member(session.mentor_id)
            if mentor is not None and not mentor.is_locked:
                balance = await self._points.award(
                    uow,
                    mentor,
                    self.section.reward_points,
                    source=REWARD_SOURCE,
                    key=f"mentoring:session:{session.id}",
                    reason=f"mentoring session #{session.id} rated {stars}★",
                )
                earned = self.section.reward_points if balance is not None else None
        uow.record(session_rated(session, stars, self._clock.now()))
        return await self.get(uow, mentee.community_id, session.id), earned

    async def comment(
        self, uow: UnitOfWork, mentee: Member, session_id: int, comment: str
    ) -> Session:
        """The mentee adds a comment to their rating, once (the comment box after the stars).

        Raises:
            SessionNotFoundError, NotYourSessionError (only its mentee),
            NotRatedYetError, AlreadyCommentedError.
        """
        session = await self.get(uow, mentee.community_id, session_id)
        if session.mentee_id != mentee.id:
            raise NotYourSessionError(id=session_id)
        added = await uow.get(MentoringRepository).add_comment(session.id, comment.strip())
        if added is None:
            raise NotRatedYetError(id=session.id)
        if not added:
            raise AlreadyCommentedError(id=session.id)
        return session

    async def sessions(
        self, uow: UnitOfWork, member: Member, *, upcoming: bool, limit: int = 15
    ) -> list[Session]:
        return await uow.get(MentoringRepository).sessions_of(
            member.community_id, member.id, open_only=upcoming, limit=limit
        )

    # -- helpers ------------------------------------------------------------------

    async def _own(
        self, uow: UnitOfWork, member: Member, session_id: int, *, mentor_only: bool = False
    ) -> Session:
        session = await self.get(uow, member.community_id, session_id)
        allowed = {session.mentor_id} if mentor_only else {session.mentor_id, session.mentee_id}
        if member.id not in allowed:
            raise NotYourSessionError(id=session_id)
        return session

    async def _move(
        self,
        uow: UnitOfWork,
        session: Session,
        from_statuses: tuple[SessionStatus, ...],
        to: SessionStatus,
        actor: Member,
        reason: str | None,
    ) -> None:
        moved = await uow.get(MentoringRepository).move(
            session.id, from_statuses, to, actor.id, self._clock.now(), reason
        )
        if not moved:
            raise WrongSessionStateError(id=session.id, status=session.status.value)


def member_ids(session: Session) -> tuple[MemberId, MemberId]:
    """The session's two members: mentor, then mentee."""
    return session.mentor_id, session.mentee_id
