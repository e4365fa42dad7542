"""Proposals and votes: create, vote, close, implement, withdraw."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import uuid4

from domain.core.audit import audit
from domain.core.ids import CommunityId
from domain.core.uow import UnitOfWork
from domain.identity.model import Community, Member
from domain.proposals.activities import (
    ProposalApproved,
    ProposalCreated,
    ProposalImplemented,
    VoteCast,
    VoteChanged,
)
from domain.proposals.base import ProposalBase
from domain.proposals.errors import (
    NotActiveError,
    NotApprovedError,
    NotAuthorError,
    NoVoteError,
    OwnProposalError,
    ProposalNotFoundError,
    TooManyOpenError,
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
    Transition,
    VoteResult,
)
from domain.proposals.repository import ProposalRepository
from domain.proposals.rules import title_key, vote_weight


class ProposalService(ProposalBase):
    """The rules of governance over a `ProposalRepository`.

    Every vote and every status change first locks the proposal's row, so a
    vote racing the close either lands before the final tally or is refused;
    the vote itself is one row per (proposal, member) — the database, not this
    class, makes a second vote impossible.
    """

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
            _log_vote(uow, VoteCast, "", community, member, proposal, now)
            points = await self._reward_vote(uow, community, member, proposal, now)
        elif previous is not choice:
            _log_vote(uow, VoteChanged, uuid4().hex, community, member, proposal, now)
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
        _log_vote(uow, VoteChanged, uuid4().hex, community, member, proposal, now)
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


def _log_vote(
    uow: UnitOfWork,
    kind: type[VoteCast] | type[VoteChanged],
    unique: str,
    community: Community,
    member: Member,
    proposal: Proposal,
    now: datetime,
) -> None:
    """Record a vote's participation, never its choice: anonymous votes stay anonymous.

    A first vote (`VoteCast`) is one per member and proposal. A change or a
    withdrawal (`VoteChanged`, no counter moves; the card follows it) is keyed
    by `unique`: for, against, for again at one instant are three changes, and
    the last must reach the card.
    """
    suffix = f":{unique}" if unique else ""
    uow.record(
        kind(
            community_id=community.id,
            member_id=member.id,
            key=f"{kind.kind}:{proposal.id}:{member.id}{suffix}",
            occurred_at=now,
            proposal_id=int(proposal.id),
        )
    )
