"""Proposals and votes: create, vote, close, implement, withdraw."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from domain.core.audit import audit
from domain.core.clock import Clock
from domain.core.contracts import TierReader
from domain.core.errors import MemberLockedError
from domain.core.ids import CommunityId, MemberId
from domain.core.localtime import local_day
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.identity.repository import IdentityRepository
from domain.points.service import PointsService
from domain.proposals.activities import (
    ProposalApproved,
    ProposalCreated,
    ProposalImplemented,
    VoteCast,
)
from domain.proposals.config import ProposalsSection, TypeRules
from domain.proposals.errors import (
    NotActiveError,
    NotApprovedError,
    NotAuthorError,
    NoVoteError,
    OwnProposalError,
    ProposalNotFoundError,
    TierTooLowError,
    TooManyOpenError,
    TooNewError,
    VotingClosedError,
)
from domain.proposals.model import (
    Choice,
    Closed,
    Created,
    Decision,
    NewProposal,
    Outcome,
    Proposal,
    ProposalId,
    ProposalType,
    Status,
    Tally,
    Transition,
    VoteRecord,
    VoteResult,
)
from domain.proposals.repository import ProposalRepository
from domain.proposals.rules import decide, quorum_needed, title_key, vote_weight

TierSource = Callable[[], TierReader | None]


class ProposalService:
    """The rules of governance over a `ProposalRepository`.

    Every vote and every status change first locks the proposal's row, so a
    vote racing the close either lands before the final tally or is refused;
    the vote itself is one row per (proposal, member) — the database, not this
    class, makes a second vote impossible.
    """

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

    # -- creating ---------------------------------------------------------------

    async def create(
        self,
        uow: UnitOfWork,
        community: Community,
        author: Member,
        type_: ProposalType,
        title: str,
        description: str,
        *,
        deadline: timedelta | None = None,
        anonymous: bool = False,
        hidden: bool = False,
    ) -> Created:
        """Open a proposal for voting.

        Raises:
            TooNewError: the author joined too recently to propose.
            TierTooLowError: the author's tier is below the minimum to propose.
            TooManyOpenError: the author already has the maximum of active proposals.
        """
        now = self._clock.now()
        cfg = self._config
        await self._gate(
            uow, author, "propose", cfg.min_tier_to_propose, cfg.min_member_days_to_propose, now
        )
        repo = uow.get(ProposalRepository)
        await repo.lock_author(author.id)
        open_now = await repo.open_count(author.id)
        if open_now >= cfg.max_open_per_member:
            raise TooManyOpenError(limit=cfg.max_open_per_member, open=open_now)
        rules = cfg.rules(type_)
        key = title_key(title)
        proposal = await repo.add(
            NewProposal(
                community_id=community.id,
                author_id=author.id,
                type=type_,
                title=title,
                description=description,
                anonymous=anonymous,
                hidden=hidden or rules.hide_tally,
                created_at=now,
                closes_at=now + (deadline or timedelta(days=rules.deadline_days)),
            ),
            key,
        )
        similar = await repo.similar_active(community.id, key, proposal.id)
        await repo.record(Transition(proposal.id, None, Status.ACTIVE, author.id, now))
        uow.record(
            ProposalCreated(
                community_id=community.id,
                member_id=author.id,
                key=f"proposal_created:{proposal.id}",
                occurred_at=now,
                proposal_id=int(proposal.id),
                proposal_type=str(type_),
            )
        )
        return Created(proposal, tuple(similar))

    # -- voting -----------------------------------------------------------------

    async def vote(
        self,
        uow: UnitOfWork,
        community: Community,
        member: Member,
        proposal_id: ProposalId,
        choice: Choice,
        roles: Iterable[str] = (),
    ) -> VoteResult:
        """Cast or change the member's vote.

        Raises:
            ProposalNotFoundError: no such proposal in this community.
            VotingClosedError: the deadline passed or the proposal closed.
            TooNewError / TierTooLowError: the member may not vote yet.
        """
        now = self._clock.now()
        repo = uow.get(ProposalRepository)
        proposal = await self._locked_open(repo, community.id, proposal_id, now)
        cfg = self._config
        await self._gate(
            uow, member, "vote", cfg.min_tier_to_vote, cfg.min_member_days_to_vote, now
        )
        rules = cfg.rules(proposal.type)
        tier_index: int | None = None
        reader = self._tiers() if rules.tier_weights else None
        if reader is not None:
            tier_index = (await reader.tier_of(uow, member.id)).tier_index
        weight = vote_weight(rules, tier_index, roles)
        first, previous = await repo.cast(proposal.id, member.id, choice, weight, now)
        points: int | None = None
        if first:
            # Participation, never the choice: anonymous votes stay anonymous downstream.
            uow.record(
                VoteCast(
                    community_id=community.id,
                    member_id=member.id,
                    key=f"vote_cast:{proposal.id}:{member.id}",
                    occurred_at=now,
                    proposal_id=int(proposal.id),
                )
            )
            points = await self._reward_vote(uow, community, member, proposal, now)
        tally = await repo.tally(proposal.id)
        return VoteResult(proposal, choice, previous, tally, first, points)

    async def retract(
        self,
        uow: UnitOfWork,
        community: Community,
        member: Member,
        proposal_id: ProposalId,
        *,
        only: Choice | None = None,
    ) -> VoteResult:
        """Withdraw the member's vote; with `only`, only if it is still that choice.

        A reaction removed after the member changed their vote by button must
        not cancel the newer vote, hence `only`.

        Raises:
            ProposalNotFoundError: no such proposal in this community.
            VotingClosedError: the deadline passed or the proposal closed.
            NoVoteError: the member has no vote on it.
        """
        now = self._clock.now()
        repo = uow.get(ProposalRepository)
        proposal = await self._locked_open(repo, community.id, proposal_id, now)
        current = await repo.vote_of(proposal.id, member.id)
        if current is None or current.choice is None:
            raise NoVoteError(id=proposal.id)
        if only is not None and current.choice is not only:
            tally = await repo.tally(proposal.id)
            return VoteResult(proposal, current.choice, current.choice, tally, False)
        previous = await repo.retract(proposal.id, member.id, now)
        tally = await repo.tally(proposal.id)
        return VoteResult(proposal, None, previous, tally, False)

    # -- closing and after --------------------------------------------------------

    async def close(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        proposal_id: ProposalId,
        *,
        actor: Member | None = None,
        reason: str | None = None,
        reject: bool = False,
        at: datetime | None = None,
    ) -> Closed:
        """Close an active proposal: by its rules, or rejected outright by a moderator.

        `actor` None means the deadline closed it (the sweep job).

        Raises:
            ProposalNotFoundError: no such proposal in this community.
            NotActiveError: it is no longer active (closed meanwhile, withdrawn…).
            OwnProposalError: a moderator closing their own proposal (rejecting is allowed).
        """
        now = at or self._clock.now()
        repo = uow.get(ProposalRepository)
        proposal = await repo.lock(community_id, proposal_id)
        if proposal is None:
            raise ProposalNotFoundError(id=proposal_id)
        if proposal.status is not Status.ACTIVE:
            raise NotActiveError(id=proposal.id, status=str(proposal.status))
        if actor is not None and not reject and actor.id == proposal.author_id:
            raise OwnProposalError(id=proposal.id)
        tally = await repo.tally(proposal.id)
        decision = await self._decide(uow, proposal, tally, now)
        if reject:
            decision = Decision(False, Outcome.REJECTED_BY_MODERATOR, decision.quorum_needed)
        to = Status.APPROVED if decision.approved else Status.REJECTED
        if not await repo.transition(
            proposal,
            to,
            at=now,
            outcome=decision.outcome,
            reason=reason,
            quorum_needed=decision.quorum_needed,
            final=tally,
        ):
            raise NotActiveError(id=proposal.id, status="closed")
        await repo.record(
            Transition(proposal.id, Status.ACTIVE, to, actor.id if actor else None, now, reason)
        )
        if actor is not None:
            await audit(
                uow,
                community_id,
                "proposal.close",
                now,
                actor_id=actor.id,
                subject_id=proposal.author_id,
                reason=reason,
                proposal_id=int(proposal.id),
                status=str(to),
            )
        closed = replace(
            proposal,
            status=to,
            closed_at=now,
            outcome=decision.outcome,
            reason=reason,
            quorum_needed=decision.quorum_needed,
        )
        if decision.approved:
            uow.record(
                ProposalApproved(
                    community_id=community_id,
                    member_id=proposal.author_id,
                    key=f"proposal_approved:{proposal.id}",
                    occurred_at=now,
                    proposal_id=int(proposal.id),
                )
            )
            await self._reward_author(
                uow,
                proposal,
                self._config.points_approved,
                key=f"proposal.approved:{proposal.id}",
                reason=f"proposal #{proposal.id} approved",
            )
        return Closed(closed, tally, decision)

    async def withdraw(
        self, uow: UnitOfWork, community_id: CommunityId, member: Member, proposal_id: ProposalId
    ) -> Proposal:
        """The author takes back an active proposal.

        Raises:
            ProposalNotFoundError, NotAuthorError, NotActiveError.
        """
        now = self._clock.now()
        repo = uow.get(ProposalRepository)
        proposal = await repo.lock(community_id, proposal_id)
        if proposal is None:
            raise ProposalNotFoundError(id=proposal_id)
        if proposal.author_id != member.id:
            raise NotAuthorError(id=proposal.id)
        if proposal.status is not Status.ACTIVE:
            raise NotActiveError(id=proposal.id, status=str(proposal.status))
        tally = await repo.tally(proposal.id)
        if not await repo.transition(proposal, Status.WITHDRAWN, at=now, final=tally):
            raise NotActiveError(id=proposal.id, status="closed")
        await repo.record(Transition(proposal.id, Status.ACTIVE, Status.WITHDRAWN, member.id, now))
        return replace(proposal, status=Status.WITHDRAWN, closed_at=now)

    async def implement(
        self,
        uow: UnitOfWork,
        community_id: CommunityId,
        moderator: Member,
        proposal_id: ProposalId,
        *,
        note: str | None = None,
        link: str | None = None,
    ) -> tuple[Proposal, int | None]:
        """Mark an approved proposal implemented and reward its author.

        Returns the proposal and the points awarded (None when none were).

        Raises:
            ProposalNotFoundError, NotApprovedError, OwnProposalError.
        """
        now = self._clock.now()
        repo = uow.get(ProposalRepository)
        proposal = await repo.lock(community_id, proposal_id)
        if proposal is None:
            raise ProposalNotFoundError(id=proposal_id)
        if proposal.status is not Status.APPROVED:
            raise NotApprovedError(id=proposal.id, status=str(proposal.status))
        if moderator.id == proposal.author_id:
            raise OwnProposalError(id=proposal.id)
        if not await repo.transition(proposal, Status.IMPLEMENTED, at=now, link=link):
            raise NotApprovedError(id=proposal.id, status="changed")
        await repo.record(
            Transition(proposal.id, Status.APPROVED, Status.IMPLEMENTED, moderator.id, now, note)
        )
        await audit(
            uow,
            community_id,
            "proposal.implement",
            now,
            actor_id=moderator.id,
            subject_id=proposal.author_id,
            reason=note,
            proposal_id=int(proposal.id),
        )
        uow.record(
            ProposalImplemented(
                community_id=community_id,
                member_id=proposal.author_id,
                key=f"proposal_implemented:{proposal.id}",
                occurred_at=now,
                proposal_id=int(proposal.id),
            )
        )
        points = await self._reward_author(
            uow,
            proposal,
            self._config.points_implemented,
            key=f"proposal.implemented:{proposal.id}",
            reason=f"proposal #{proposal.id} implemented",
        )
        return replace(proposal, status=Status.IMPLEMENTED, link=link), points

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
