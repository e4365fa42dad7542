"""Handlers of `/invite`, `/join` and `/admin referrals`."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from domain.identity import IdentityRepository, Platform
from domain.referrals import Invite, InviteMaker, ReferralError, ReferralService


def _terms(call: Call) -> dict[str, int]:
    section = call.ctx.config.referrals
    return {
        "checkins": section.activation_checkins,
        "days": section.activation_days,
        "points": section.points,
    }


def _invite_reply(call: Call, invite: Invite) -> Reply:
    key = (
        "referrals.invite_link" if invite.platform == "discord-invite" else "referrals.invite_code"
    )
    text = words.text(key, invite_code=invite.code, **_terms(call))
    if invite.joins:
        text += "\n" + words.text("referrals.invite_joins", joins=invite.joins)
    return Reply(title=words.text("referrals.invite_title"), text=text)


async def invite(call: Call) -> Reply:
    """The member's invite: a real Discord server invite there, a referral code elsewhere.

    On Discord the invite is made in the channel where the member asked, so
    Discord counts its uses and a join can be attributed without any typing.
    """
    service = call.ctx.need(ReferralService)
    maker = call.ctx.maybe(InviteMaker)
    on_discord = call.inv.actor.platform is Platform.DISCORD and maker is not None
    kind = "discord-invite" if on_discord else "code"
    found = await service.existing_invite(call.uow, call.member, kind)
    if found is None:
        platform_code = None
        if on_discord and maker is not None and call.inv.place.channel_id:
            platform_code = await maker.create(
                call.inv.actor.workspace_id,
                call.inv.place.channel_id,
                words.text("referrals.invite_audit_reason"),
            )
        if platform_code is None:
            kind = "code"  # Discord refused (permissions): fall back to a typed code
            found = await service.existing_invite(call.uow, call.member, kind)
        if found is None:
            found = await service.new_invite(call.uow, call.member, kind, call.now, platform_code)
    return _invite_reply(call, found)


@dataclass(frozen=True, slots=True)
class JoinOptions:
    """Options of /join."""

    code: str


async def join(call: Call, o: JoinOptions) -> Reply:
    """Say whose invite brought you here (first day only)."""
    service = call.ctx.need(ReferralService)
    try:
        invite = await service.join(call.uow, call.member, o.code, call.now)
    except ReferralError as refused:
        reason = refused.params["reason"]
        return Reply(
            text=words.text(f"referrals.refused.{reason}", **refused.params), tone=Tone.WARNING
        )
    referrer = await call.uow.get(IdentityRepository).get_member(invite.member_id)
    assert referrer is not None  # an invite's member is never deleted, only tombstoned
    return Reply(
        text=words.text("referrals.joined", who=call.mention(referrer), **_terms(call)),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class WeeksOptions:
    """Options of /admin referrals."""

    weeks: int | None


async def admin_referrals(call: Call, o: WeeksOptions) -> Reply:
    """Invites, joins, activations and the viral coefficient per week (8 unless asked)."""
    weeks = o.weeks or 8
    today = call.now.astimezone(ZoneInfo(call.community.timezone)).date()
    rows = await call.ctx.need(ReferralService).weeks(call.uow, call.community, today, weeks)
    lines = [
        words.text(
            "referrals.week",
            week=w.week_start.isoformat(),
            invites=w.invites,
            joins=w.joins,
            activations=w.activations,
            k=f"{w.k:.2f}",
        )
        for w in rows
    ]
    lines.append(words.text("referrals.k_note"))
    return Reply(title=words.text("referrals.weeks_title", weeks=weeks), text="\n".join(lines))
