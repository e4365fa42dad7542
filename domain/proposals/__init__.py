"""Governance: proposals, votes that count once, and a lifecycle everyone can audit."""

from domain.proposals.config import Approval, ProposalsSection, TypeRules
from domain.proposals.errors import (
    NotActiveError,
    NotApprovedError,
    NotAuthorError,
    NoVoteError,
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
from domain.proposals.repository import CardEditQueue, ProposalRepository
from domain.proposals.service import ProposalService

__all__ = [
    "Approval",
    "CardEditQueue",
    "Choice",
    "Closed",
    "Created",
    "Decision",
    "NoVoteError",
    "NotActiveError",
    "NotApprovedError",
    "NotAuthorError",
    "Outcome",
    "Proposal",
    "ProposalId",
    "ProposalNotFoundError",
    "ProposalRepository",
    "ProposalService",
    "ProposalType",
    "ProposalsSection",
    "Status",
    "Tally",
    "TierTooLowError",
    "TooManyOpenError",
    "TooNewError",
    "Transition",
    "TypeRules",
    "VoteRecord",
    "VoteResult",
    "VotingClosedError",
]
