"""Invites, referrals and the weekly growth numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.core.ids import CommunityId, MemberId


@dataclass(frozen=True, slots=True)
class Invite:
    """A member's invite code (a Discord invite's code, or a referral code) and its use."""

    code: str
    community_id: CommunityId
    member_id: MemberId
    platform: str
    created_at: datetime
    joins: int = 0


@dataclass(frozen=True, slots=True)
class Referral:
    """A newcomer brought by a referrer; `activated_at` once they became active."""

    community_id: CommunityId
    referred_id: MemberId
    referrer_id: MemberId
    code: str
    joined_at: datetime
    activated_at: datetime | None = None
    expired: bool = False


@dataclass(frozen=True, slots=True)
class ReferralWeek:
    """One ISO week of growth: invites handed out, joins, activations, members.

    K (the viral coefficient) = invites per member × activation rate
    (activations / invites): above 1.0 each member brings more than one active member.
    """

    week_start: date
    invites: int
    joins: int
    activations: int
    members: int

    @property
    def invites_per_member(self) -> float:
        """Invites handed out per member that week."""
        return self.invites / self.members if self.members else 0.0

    @property
    def activation_rate(self) -> float:
        """Share of the invites that brought an active member."""
        return self.activations / self.invites if self.invites else 0.0

    @property
    def k(self) -> float:
        """The viral coefficient."""
        return self.invites_per_member * self.activation_rate
