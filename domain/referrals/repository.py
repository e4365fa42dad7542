"""What referrals need from storage and from the platform."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from domain.core.ids import CommunityId, MemberId
from domain.referrals.model import Invite, Referral, ReferralWeek


class ReferralRepository(Protocol):
    """Invite codes and referrals; one referral per newcomer, enforced by a primary key."""

    async def invite_of(
        self, community_id: CommunityId, member_id: MemberId, platform: str
    ) -> Invite | None:
        """The member's existing invite on that platform."""
        ...

    async def add_invite(self, invite: Invite) -> None:
        """Store a new invite code."""
        ...

    async def invite(self, community_id: CommunityId, code: str) -> Invite | None:
        """The invite with this code in the community (codes compare case-insensitively)."""
        ...

    async def add_referral(self, referral: Referral) -> bool:
        """Record a referral; False when the newcomer was already referred."""
        ...

    async def pending(self, community_id: CommunityId) -> list[Referral]:
        """Referrals neither activated nor expired."""
        ...

    async def checkins_between(self, member_id: MemberId, start: datetime, end: datetime) -> int:
        """The newcomer's check-ins in [start, end)."""
        ...

    async def activate(self, referred_id: MemberId, now: datetime) -> bool:
        """Mark activated once; False if it already was (a concurrent run)."""
        ...

    async def expire(self, referred_id: MemberId) -> None:
        """Mark a referral that never became active."""
        ...

    async def weeks(
        self, community_id: CommunityId, first: date, last: date, tz: str
    ) -> list[ReferralWeek]:
        """Growth per ISO week from `first` to `last` (Mondays), oldest first."""
        ...


class InviteMaker(Protocol):
    """A platform that can make real invites (Discord); provided by its adapter."""

    async def create(self, workspace_id: str, channel_id: str, reason: str) -> str | None:
        """A new never-expiring invite's code for that channel, or None if refused."""
        ...
