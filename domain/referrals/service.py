"""Hand out invites, record who joined through whose, and credit active referrals once."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from domain.core.errors import UserFacingError
from domain.core.uow import UnitOfWork
from domain.identity import Community, IdentityRepository, Member
from domain.points import PointsService
from domain.referrals.activities import ReferralActivated
from domain.referrals.config import ReferralsSection
from domain.referrals.model import Invite, Referral, ReferralWeek
from domain.referrals.repository import ReferralRepository

# No 0/O or 1/I/L: a code read aloud or copied by hand still works.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class ReferralError(UserFacingError):
    """A `/join` that cannot count; the code says why."""

    code = "referrals.refused"

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason=reason, **params)


class ReferralService:
    """Referral rules: first-day joins only, never yourself, one referrer, credit once.

    Raises (from `join`): ReferralError with a reason of `unknown_code`,
    `self`, `too_late` or `already`.
    """

    def __init__(self, points: PointsService, config: ReferralsSection) -> None:
        self._points = points
        self._config = config

    async def existing_invite(
        self, uow: UnitOfWork, member: Member, platform: str
    ) -> Invite | None:
        """The invite the member already has on `platform`, if any (one each, reused)."""
        return await uow.get(ReferralRepository).invite_of(member.community_id, member.id, platform)

    async def new_invite(
        self,
        uow: UnitOfWork,
        member: Member,
        platform: str,
        now: datetime,
        platform_code: str | None = None,
    ) -> Invite:
        """Store the member's invite: a platform's invite code, or a new referral code."""
        code = platform_code or "".join(secrets.choice(_ALPHABET) for _ in range(8))
        invite = Invite(code, member.community_id, member.id, platform, now)
        await uow.get(ReferralRepository).add_invite(invite)
        return invite

    async def join(self, uow: UnitOfWork, joiner: Member, code: str, now: datetime) -> Invite:
        """Record that `joiner` came through `code`.

        Raises:
            ReferralError: unknown code, your own code (or a linked account's), past
                the first day, or already referred.
        """
        repo = uow.get(ReferralRepository)
        invite = await repo.invite(joiner.community_id, code.strip())
        if invite is None:
            raise ReferralError("unknown_code", invite_code=code)
        # Linked accounts are one member, so this also refuses a ring of one's own accounts.
        if invite.member_id == joiner.id:
            raise ReferralError("self")
        if now - joiner.joined_at > timedelta(hours=self._config.join_window_hours):
            raise ReferralError("too_late", hours=self._config.join_window_hours)
        referral = Referral(joiner.community_id, joiner.id, invite.member_id, invite.code, now)
        if not await repo.add_referral(referral):
            raise ReferralError("already")
        return invite

    async def activate_due(
        self, uow: UnitOfWork, community: Community, now: datetime
    ) -> list[tuple[Referral, Member]]:
        """Credit the referrers of newcomers who became active; expire the lapsed.

        Returns (referral, referrer) for each credited now. The ledger key is the
        newcomer, so a rerun or a second process can never pay twice.
        """
        repo = uow.get(ReferralRepository)
        identity = uow.get(IdentityRepository)
        window = timedelta(days=self._config.activation_days)
        credited: list[tuple[Referral, Member]] = []
        for referral in await repo.pending(community.id):
            checkins = await repo.checkins_between(
                referral.referred_id, referral.joined_at, referral.joined_at + window
            )
            if checkins < self._config.activation_checkins:
                if now >= referral.joined_at + window:
                    await repo.expire(referral.referred_id)
                continue
            if not await repo.activate(referral.referred_id, now):
                continue
            referrer = await identity.get_member(referral.referrer_id)
            if referrer is None:
                continue
            if self._config.points and not referrer.is_locked:
                await self._points.award(
                    uow,
                    referrer,
                    self._config.points,
                    source="referral",
                    key=f"referral:{referral.referred_id}",
                    reason="a member you invited became active",
                )
            uow.record(
                ReferralActivated(
                    community_id=community.id,
                    member_id=referrer.id,
                    key=f"referral:{referral.referred_id}",
                    occurred_at=now,
                    referred_id=int(referral.referred_id),
                )
            )
            credited.append((referral, referrer))
        return credited

    async def weeks(
        self, uow: UnitOfWork, community: Community, today: date, count: int
    ) -> list[ReferralWeek]:
        """The last `count` ISO weeks of growth, oldest first."""
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=count - 1)
        return await uow.get(ReferralRepository).weeks(
            community.id, first, monday, community.timezone
        )
