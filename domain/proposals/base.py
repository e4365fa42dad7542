"""What every proposal action shares: construction, reads, and the checks and rewards.

`ProposalService` (create, vote, close, implement, withdraw) builds on it; the
reads live here so the actions read as the rules they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from domain.core.clock import Clock
from domain.core.contracts import TierReader
from domain.core.errors import MemberLockedError
from domain.core.ids import CommunityId, MemberId
from domain.core.localtime import local_day
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.identity.repository import IdentityRepository
from domain.points.service import PointsService
from domain.proposals.config import ProposalsSection, TypeRules
from domain.proposals.errors import (
    ProposalNotFoundError,
    TierTooLowError,
    TooNewError,
    VotingClosedError,
)
from domain.proposals.model import (
    Decision,
    Proposal,
    ProposalId,
    Status,
    Tally,
    VoteRecord,
)
from domain.proposals.repository import ProposalRepository
from domain.proposals.rules import decide, quorum_needed

TierSource = Callable[[], TierReader | None]


class ProposalBase:
    """The service's state, its reads, and the helpers its actions share."""

    def __init__(
        self,
        clock: Clock,
        config: ProposalsSection,
        points: PointsService,
        tiers: TierSource = lambda: None,
    ) -> None:
        self._clock = clock
        self._config = config
        self._points = points
        self._tiers = tiers

    @property
    def config(self) -> ProposalsSection:
        return self._config

    # -- reading ----------------------------------------------------------------

    async def get(
        self, uow: UnitOfWork, community_id: CommunityId, proposal_id: ProposalId
    ) -> Proposal:
        """Raises: ProposalNotFoundError."""
        proposal = await uow.get(ProposalRepository).get(community_id, proposal_id)
        if proposal is None:
            raise ProposalNotFoundError(id=proposal_id)
        return proposal

    async def tally(self, uow: UnitOfWork, proposal: Proposal) -> Tally:
        """The live tally while active; the tally frozen at close afterwards."""
        repo = uow.get(ProposalRepository)
        if proposal.status is not Status.ACTIVE:
            final = await repo.final_tally(proposal.id)
            if final is not None:
                return final
        return await repo.tally(proposal.id)

    async def quorum(self, uow: UnitOfWork, proposal: Proposal) -> int:
        """Voters the proposal needs: fixed at close, else as of now."""
        if proposal.quorum_needed is not None:
            return proposal.quorum_needed
        rules = self._config.rules(proposal.type)
        active = await self._active_members(uow, proposal, rules, self._clock.now())
        return quorum_needed(rules, active)

    async def vote_of(
        self, uow: UnitOfWork, proposal_id: ProposalId, member_id: MemberId
    ) -> VoteRecord | None:
        return await uow.get(ProposalRepository).vote_of(proposal_id, member_id)

    # -- helpers -------------------------------------------------------------------

    async def _locked_open(
        self, repo: ProposalRepository, community_id: CommunityId, pid: ProposalId, now: datetime
    ) -> Proposal:
        proposal = await repo.lock(community_id, pid)
        if proposal is None:
            raise ProposalNotFoundError(id=pid)
        if not proposal.accepts_votes(now):
            raise VotingClosedError(
                id=proposal.id, status=str(proposal.status), closes_at=proposal.closes_at
            )
        return proposal

    async def _decide(
        self, uow: UnitOfWork, proposal: Proposal, tally: Tally, now: datetime
    ) -> Decision:
        rules = self._config.rules(proposal.type)
        return decide(rules, tally, await self._active_members(uow, proposal, rules, now))

    async def _active_members(
        self, uow: UnitOfWork, proposal: Proposal, rules: TypeRules, now: datetime
    ) -> int:
        """Active members for a quorum share; not counted at all when no share is set."""
        if not rules.quorum_share:
            return 0  # the count scans recent ledger rows: skip it when nothing needs it
        since = now - timedelta(days=self._config.active_member_days)
        return await uow.get(ProposalRepository).active_members(proposal.community_id, since)

    async def _gate(
        self,
        uow: UnitOfWork,
        member: Member,
        action: str,
        min_tier: int,
        min_days: int,
        now: datetime,
    ) -> None:
        if min_days:
            allowed_at = member.joined_at + timedelta(days=min_days)
            if now < allowed_at:
                raise TooNewError(action=action, days=min_days, wait=allowed_at - now)
        if min_tier:
            reader = self._tiers()
            if reader is None:
                return  # no tiers installed: the tier rule cannot apply
            info = await reader.tier_of(uow, member.id)
            if info.tier_index < min_tier:
                raise TierTooLowError(action=action, needed=min_tier, tier=info.tier_name)

    async def _reward_vote(
        self,
        uow: UnitOfWork,
        community: Community,
        member: Member,
        proposal: Proposal,
        now: datetime,
    ) -> int | None:
        """Award a first vote, at most `vote_rewards_per_day` times a local day.

        The cap is enforced by the ledger's unique keys: one key per daily slot,
        so concurrent votes can never be rewarded more than the cap.
        """
        amount, cap = self._config.points_vote, self._config.vote_rewards_per_day
        if amount <= 0 or cap <= 0 or member.is_locked:
            return None
        day = local_day(now, member.timezone or community.timezone).isoformat()
        reason = "voted on a proposal" if proposal.anonymous else f"voted on #{proposal.id}"
        for slot in range(cap):
            balance = await self._points.award(
                uow,
                member,
                amount,
                source="proposal.vote",
                key=f"proposal.vote:{member.id}:{day}:{slot}",
                reason=reason,
            )
            if balance is not None:
                return amount
        return None

    async def _reward_author(
        self, uow: UnitOfWork, proposal: Proposal, amount: int, *, key: str, reason: str
    ) -> int | None:
        if amount <= 0:
            return None
        author = await uow.get(IdentityRepository).get_member(proposal.author_id)
        if author is None:
            return None
        try:
            balance = await self._points.award(
                uow, author, amount, source="proposal", key=key, reason=reason
            )
        except MemberLockedError:
            return None  # a locked author keeps the decision but earns nothing
        return None if balance is None else amount
