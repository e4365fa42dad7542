"""Invitations and referrals: `/invite`, `/join`, `/admin referrals`, and the activation job."""

from __future__ import annotations

from cogs.kit import Cog, CogContext, Command, Page, Permission, Registry, Visibility, typed
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.referrals import messages as _messages
from cogs.referrals.commands import admin_referrals, invite, join
from cogs.referrals.jobs import activation_job
from domain.referrals import ReferralService

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the referral service; declare the commands, the job and the growth page."""
    service = ReferralService(ctx.points, ctx.config.referrals)
    ctx.provide(ReferralService, service)
    commands = [
        Command(
            "invite",
            "Your personal invite; you earn points when the people you bring become active",
            invite,
            visibility=Visibility.EPHEMERAL,
            examples=("/invite",),
        ),
        typed.command(
            "join",
            "On your first day: say whose invite brought you here",
            join,
            options=(opt.string("code", "The invite or referral code", max_length=32),),
            visibility=Visibility.EPHEMERAL,
            examples=("/join K7QM2XPA",),
        ),
        typed.command(
            "admin referrals",
            "Invites, joins, activations and the viral coefficient K per week",
            admin_referrals,
            options=(
                opt.integer("weeks", "How many weeks", required=False, min_value=1, max_value=52),
            ),
            permission=Permission.MODERATOR,
            visibility=Visibility.EPHEMERAL,
            writes=False,
            examples=("/admin referrals", "/admin referrals 12"),
        ),
    ]
    registry.add(
        Cog(
            name="referrals",
            commands=commands,
            jobs=[activation_job(ctx, service)],
            pages=[Page("growth", "Growth", shows=("admin referrals 12",), order=25)],
        )
    )
