"""`ProposalReader` for other features (a profile's "awaiting your vote")."""

from __future__ import annotations

from domain.core.clock import Clock
from domain.core.contracts import ProposalSummary
from domain.core.ids import MemberId
from domain.core.uow import UnitOfWork
from domain.proposals.repository import ProposalRepository


class ProposalReaderImpl:
    """Active proposals the member has not voted on, soonest deadline first."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def awaiting_vote(
        self, uow: UnitOfWork, member_id: MemberId, limit: int = 5
    ) -> list[ProposalSummary]:
        found = await uow.get(ProposalRepository).awaiting_vote(member_id, self._clock.now(), limit)
        return [ProposalSummary(int(p.id), p.title, p.closes_at) for p in found]
