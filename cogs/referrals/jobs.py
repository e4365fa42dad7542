"""The referral activation job."""

from __future__ import annotations

from datetime import datetime, timedelta

from cogs.kit import CogContext, Every, Job, Reply, Tone
from cogs.kit import messages as words
from domain.core.announcements import Announcement, Target
from domain.identity import IdentityRepository
from domain.notifications import NotificationRepository
from domain.referrals import ReferralService


def activation_job(ctx: CogContext, service: ReferralService) -> Job:
    """Every 10 minutes: credit referrers whose newcomers became active, and tell them."""

    async def activate(now: datetime) -> None:
        async with ctx.uow(read_only=True) as uow:
            communities = await uow.get(NotificationRepository).communities()
        for community in communities:
            async with ctx.uow() as uow:
                credited = await service.activate_due(uow, community, now)
                for referral, referrer in credited:
                    newcomer = await uow.get(IdentityRepository).get_member(referral.referred_id)
                    reply = Reply(
                        text=words.text(
                            "referrals.activated",
                            who=newcomer.display_name if newcomer else "?",
                            points=ctx.config.referrals.points,
                        ),
                        tone=Tone.SUCCESS,
                    )
                    uow.announce(
                        Announcement(
                            community.id,
                            "referral_activated",
                            f"referral-activated:{referral.referred_id}",
                            reply.to_dict(),
                            target=Target.DM,
                            member_id=referrer.id,
                        )
                    )
                await uow.commit()

    return Job(
        "referrals.activate",
        Every(timedelta(minutes=10)),
        activate,
        grace=None,
        description="credit referrers whose newcomers became active",
    )
