"""Quests: created by moderators or the weekly rotation, progressed by activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.contracts import QuestProgress
from domain.core.errors import MemberLockedError
from domain.core.ids import MAX_ID, CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.identity.repository import IdentityRepository
from domain.points.service import PointsService
from domain.quests import schedule
from domain.quests.activities import QuestCompleted
from domain.quests.config import ChallengeSpec
from domain.quests.errors import (
    ManualTargetError,
    QuestAlreadyCompletedError,
    QuestNotFoundError,
    QuestNotManualError,
    QuestNotOpenError,
    SubmissionAlreadyReviewedError,
    SubmissionNotFoundError,
    SubmissionPendingError,
)
from domain.quests.model import (
    Completion,
    Difficulty,
    Goal,
    NewQuest,
    Quest,
    QuestView,
    Repeat,
    Submission,
    SubmissionStatus,
)
from domain.quests.repository import QuestRepository


@dataclass(frozen=True, slots=True)
class QuestDraft:
    """What a moderator asks for; `window()` turns start/end into instants."""

    title: str
    description: str
    goal: Goal
    target: int
    reward_points: int
    reward_xp: int
    difficulty: Difficulty = Difficulty.MEDIUM
    repeat: Repeat = Repeat.NONE
    starts: date | None = None
    ends: date | timedelta | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A moderator's decision on a submission, and the completion it caused."""

    submission: Submission
    completion: Completion | None


class QuestService:
    """Track quest progress from activities and pay each completion exactly once.

    Progress moves in the transaction of the activity that earned it. The
    payout is guarded twice by the database: the conditional completion
    update lets one transaction complete a (quest, member, period), and the
    ledger's unique key "quest:<id>:<member>:<period>" refuses a second award.
    XP travels as a `QuestCompleted` activity whose `explicit_xp()` the XP
    projection turns into experience. Implements `QuestReader`.
    """

    def __init__(self, clock: Clock, points: PointsService) -> None:
        self._clock = clock
        self._points = points

    # -- creating ----------------------------------------------------------------------

    async def create(
        self, uow: UnitOfWork, community: Community, moderator: Member, draft: QuestDraft
    ) -> Quest:
        """Open a quest for the whole community.

        Raises:
            QuestScheduleError: the window is empty, in the past or longer than a year.
            QuestDateRangeError: a day given is over a year from today.
            ManualTargetError: a manual quest whose target is not 1.
        """
        if draft.goal is Goal.MANUAL and draft.target != 1:
            raise ManualTargetError(target=draft.target)
        now = self._clock.now()
        starts_at, ends_at = schedule.window(now, community.timezone, draft.starts, draft.ends)
        return await uow.get(QuestRepository).create(
            NewQuest(
                community_id=community.id,
                title=draft.title,
                description=draft.description,
                goal=draft.goal,
                target=draft.target,  # a manual quest's is 1: one approved proof
                reward_points=draft.reward_points,
                reward_xp=draft.reward_xp,
                difficulty=draft.difficulty,
                repeat=draft.repeat,
                starts_at=starts_at,
                ends_at=ends_at,
                created_by=moderator.id,
                created_at=now,
            )
        )

    async def rotate(
        self,
        uow: UnitOfWork,
        community: Community,
        at: datetime,
        pool: tuple[ChallengeSpec, ...],
        per_week: int,
    ) -> list[Quest]:
        """Open this week's challenges from the pool; a rerun opens nothing new."""
        week, monday, next_monday = schedule.week_window(at, community.timezone)
        picks = schedule.rotation_picks(monday.date(), len(pool), per_week)
        repo = uow.get(QuestRepository)
        opened: list[Quest] = []
        for slot, index in enumerate(picks):
            spec = pool[index]
            quest = await repo.create_once(
                NewQuest(
                    community_id=community.id,
                    title=spec.title,
                    description=spec.description,
                    goal=Goal(spec.goal),
                    target=spec.target,
                    reward_points=spec.points,
                    reward_xp=spec.xp,
                    difficulty=Difficulty(spec.difficulty),
                    repeat=Repeat.NONE,
                    starts_at=monday,
                    ends_at=next_monday,
                    created_by=None,
                    created_at=at,
                    rotation_key=f"rotation:{week}:{slot}",
                )
            )
            if quest is not None:
                opened.append(quest)
        return opened

    # -- progress from activities ---------------------------------------------------------

    async def complete(
        self, uow: UnitOfWork, quest: Quest, member_id: MemberId, period: str
    ) -> Completion | None:
        """Complete a quest whose progress reached its target (the quests projection)."""
        return await self._complete(uow, quest, member_id, period)

    async def _complete(
        self, uow: UnitOfWork, quest: Quest, member_id: MemberId, period: str
    ) -> Completion | None:
        member = await uow.get(IdentityRepository).get_member(member_id)
        if member is None or member.is_locked:
            return None  # a locked member earns nothing; progress waits for the unlock
        now = self._clock.now()
        if not await uow.get(QuestRepository).complete(
            quest.id, member_id, period, quest.target, now
        ):
            return None  # completed before: it pays once
        key = f"quest:{quest.id}:{member_id}:{period}"
        balance = None
        if quest.reward_points > 0:
            balance = await self._points.award(
                uow,
                member,
                quest.reward_points,
                source="quest",
                key=key,
                reason=f"quest “{quest.title}”",
            )
        uow.record(
            QuestCompleted(
                community_id=quest.community_id,
                member_id=member_id,
                key=key,
                occurred_at=now,
                quest_id=quest.id,
                reward_xp=quest.reward_xp,
                period=period,
            )
        )
        return Completion(quest, member, period, quest.reward_points, quest.reward_xp, balance)

    # -- manual quests --------------------------------------------------------------------

    async def submit(
        self, uow: UnitOfWork, community: Community, member: Member, quest_id: int, proof: str
    ) -> Submission:
        """Hand in proof for a manual quest, to be reviewed by a moderator.

        Raises:
            QuestNotFoundError, QuestNotOpenError, QuestNotManualError,
            QuestAlreadyCompletedError, SubmissionPendingError.
        """
        quest = await self._quest(uow, community, quest_id)
        now = self._clock.now()
        if not quest.is_open(now):
            raise QuestNotOpenError(title=quest.title)
        if quest.goal is not Goal.MANUAL:
            raise QuestNotManualError(title=quest.title, goal=quest.goal.counter_words)
        period = schedule.period_of(quest.repeat, now, community.timezone)
        repo = uow.get(QuestRepository)
        existing = await repo.submission_for(quest.id, member.id, period)
        if existing is None:
            created = await repo.add_submission(quest, member.id, period, proof, now)
            if created is not None:
                return created
            existing = await repo.submission_for(quest.id, member.id, period)
            assert existing is not None
        if existing.status is SubmissionStatus.APPROVED:
            raise QuestAlreadyCompletedError(title=quest.title)
        if existing.status is SubmissionStatus.PENDING or not await repo.resubmit(
            existing.id, proof, now
        ):
            raise SubmissionPendingError(title=quest.title, submission_id=existing.id)
        found = await repo.submission(existing.id)
        assert found is not None
        return found

    async def review(
        self,
        uow: UnitOfWork,
        community: Community,
        moderator: Member,
        submission_id: int,
        approve: bool,
        reason: str | None,
    ) -> Review:
        """Approve (completing the quest and paying) or reject a pending submission.

        Raises:
            SubmissionNotFoundError: no such submission in this community.
            SubmissionAlreadyReviewedError: it was approved or rejected already.
            MemberLockedError: approving for a member who is locked.
        """
        repo = uow.get(QuestRepository)
        found = await repo.submission(submission_id) if submission_id <= MAX_ID else None
        if found is None or found.community_id != community.id:
            raise SubmissionNotFoundError(submission_id=submission_id)
        if found.status is not SubmissionStatus.PENDING:
            raise SubmissionAlreadyReviewedError(
                submission_id=submission_id, status=found.status.value
            )
        member = await uow.get(IdentityRepository).get_member(found.member_id)
        if approve and member is not None and member.is_locked:
            raise MemberLockedError(name=member.display_name, reason=member.locked_reason)
        status = SubmissionStatus.APPROVED if approve else SubmissionStatus.REJECTED
        if not await repo.decide(submission_id, status, moderator.id, reason, self._clock.now()):
            raise SubmissionAlreadyReviewedError(submission_id=submission_id, status="reviewed")
        await audit(
            uow,
            community.id,
            "quest.review",
            self._clock.now(),
            actor_id=moderator.id,
            subject_id=found.member_id,
            reason=reason,
            submission_id=submission_id,
            status=str(status),
        )
        completion = None
        if approve:
            quest = await repo.get(found.quest_id)
            assert quest is not None
            await repo.raise_progress(quest.id, found.member_id, found.period, quest.target)
            completion = await self._complete(uow, quest, found.member_id, found.period)
        decided = await repo.submission(submission_id)
        assert decided is not None
        return Review(decided, completion)

    async def pending(
        self, uow: UnitOfWork, community: Community, limit: int = 10
    ) -> list[Submission]:
        return await uow.get(QuestRepository).pending(community.id, limit)

    # -- reading -----------------------------------------------------------------------------

    async def get(self, uow: UnitOfWork, community: Community, quest_id: int) -> Quest:
        """Raises: QuestNotFoundError."""
        return await self._quest(uow, community, quest_id)

    async def board(self, uow: UnitOfWork, community: Community, member: Member) -> list[QuestView]:
        """Open quests with the member's progress in each quest's current period."""
        now = self._clock.now()
        repo = uow.get(QuestRepository)
        quests = await repo.open_at(community.id, now)
        keys = [(q.id, schedule.period_of(q.repeat, now, community.timezone)) for q in quests]
        found = {(p.quest_id, p.period): p for p in await repo.progress(member.id, keys)}
        views: list[QuestView] = []
        for quest, key in zip(quests, keys, strict=True):
            p = found.get(key)
            pending = None
            if quest.goal is Goal.MANUAL and (p is None or p.completed_at is None):
                sub = await repo.submission_for(quest.id, member.id, key[1])
                if sub is not None and sub.status is SubmissionStatus.PENDING:
                    pending = sub.id
            views.append(
                QuestView(
                    quest=quest,
                    period=key[1],
                    progress=p.progress if p else 0,
                    completed=bool(p and p.completed_at),
                    pending_submission=pending,
                )
            )
        return views

    async def active_for(self, uow: UnitOfWork, member_id: MemberId) -> list[QuestProgress]:
        """`QuestReader`: the member's open, unfinished quests and their progress."""
        member = await uow.get(IdentityRepository).get_member(member_id)
        if member is None:
            return []
        community = await _community(uow, member.community_id)
        return [
            QuestProgress(v.quest.id, v.quest.title, v.progress, v.quest.target, v.quest.ends_at)
            for v in await self.board(uow, community, member)
            if not v.completed
        ]

    async def _quest(self, uow: UnitOfWork, community: Community, quest_id: int) -> Quest:
        quest = await uow.get(QuestRepository).get(quest_id) if quest_id <= MAX_ID else None
        if quest is None or quest.community_id != community.id:
            raise QuestNotFoundError(quest_id=quest_id)
        return quest


async def _community(uow: UnitOfWork, community_id: CommunityId) -> Community:
    community = await uow.get(IdentityRepository).get_community(community_id)
    if community is None:  # pragma: no cover - activities name existing communities
        raise LookupError(f"community {community_id} does not exist")
    return community
