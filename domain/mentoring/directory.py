"""The mentor directory other features read (`domain.core.contracts.MentorDirectory`)."""

from __future__ import annotations

from datetime import timedelta

from domain.core.contracts import MentorSuggestion
from domain.core.ids import CommunityId, MemberId
from domain.core.uow import UnitOfWork
from domain.mentoring.repository import MentoringRepository
from domain.mentoring.rules import rank_mentors
from domain.mentoring.service import MentoringService


class ServiceDirectory:
    """Rank with the same rules as `/mentor match`, so the AI suggests who a member would."""

    def __init__(self, service: MentoringService) -> None:
        self._service = service

    async def find_mentors(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        seeker_id: MemberId,
        seeker_tz: str,
        topic: str,
        limit: int = 3,
    ) -> list[MentorSuggestion]:
        """The best `limit` mentors for `topic` (public profile facts only)."""
        repo = uow.get(MentoringRepository)
        section = self._service.section
        since = self._service.now() - timedelta(days=section.fairness_window_days)
        ranked = rank_mentors(
            await repo.profiles(community_id),
            topic,
            seeker=seeker_id,
            seeker_tz=seeker_tz,
            session_type=None,
            recent_requests=await repo.recent_requests(community_id, since),
            section=section,
        )
        return [
            MentorSuggestion(
                m.profile.member_id, m.profile.display_name, m.profile.topics, m.reasons
            )
            for m in ranked[:limit]
        ]
