"""The `[proposals]` section of config.toml: tally rules per type and abuse controls."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from domain.core.config_base import Section


class Approval(StrEnum):
    """How much of the For+Against weight must be For (abstentions count for quorum only)."""

    MAJORITY = "majority"  # more than half
    TWO_THIRDS = "two_thirds"  # at least two thirds
    THREE_QUARTERS = "three_quarters"  # at least three quarters
    UNANIMOUS = "unanimous"  # nobody against


class TypeRules(Section):
    """Rules of one proposal type (feature, improvement, policy, content)."""

    deadline_days: int = Field(30, ge=1, le=365, description="default voting period")
    quorum_votes: int = Field(3, ge=0, description="minimum number of voters (abstain counts)")
    quorum_share: float = Field(
        0.0, ge=0.0, le=1.0, description="minimum share of active members who vote"
    )
    approval: Approval = Approval.MAJORITY
    hide_tally: bool = Field(False, description="hide the tally of every proposal of this type")
    tier_weights: list[int] = Field(
        default_factory=list,
        description="vote weight by tier index (0 = lowest); empty: everyone weighs 1",
    )
    role_weights: dict[str, int] = Field(
        default_factory=dict, description="vote weight by platform role name"
    )

    @model_validator(mode="after")
    def _weights_positive(self) -> TypeRules:
        if any(w < 1 for w in self.tier_weights) or any(w < 1 for w in self.role_weights.values()):
            raise ValueError("vote weights must be whole numbers of at least 1")
        return self


class ProposalsSection(Section):
    """Governance: proposals, votes, rewards and abuse controls."""

    max_open_per_member: int = Field(3, ge=1, description="active proposals one member may have")
    min_tier_to_propose: int = Field(0, ge=0, le=4, description="tier index needed to propose")
    min_tier_to_vote: int = Field(0, ge=0, le=4, description="tier index needed to vote")
    min_member_days_to_propose: int = Field(0, ge=0, description="days since joining to propose")
    min_member_days_to_vote: int = Field(0, ge=0, description="days since joining to vote")
    active_member_days: int = Field(
        30, ge=1, le=365, description="window that makes a member 'active' for quorum shares"
    )
    card_update_seconds: int = Field(
        10, ge=1, le=3600, description="at most one live card edit per proposal per this period"
    )
    page_size: int = Field(10, ge=1, le=25)
    points_approved: int = Field(50, ge=0, description="author's award when approved")
    points_implemented: int = Field(200, ge=0, description="author's award when implemented")
    points_vote: int = Field(2, ge=0, description="award for a first vote on a proposal")
    vote_rewards_per_day: int = Field(5, ge=0, description="rewarded votes per member per day")
    feature: TypeRules = TypeRules()
    improvement: TypeRules = TypeRules()
    policy: TypeRules = TypeRules(quorum_votes=5, approval=Approval.TWO_THIRDS)
    content: TypeRules = TypeRules(deadline_days=14)

    def rules(self, kind: str) -> TypeRules:
        """The rules of proposal type `kind` ("feature", "policy", …)."""
        rules: TypeRules = getattr(self, kind)
        return rules
