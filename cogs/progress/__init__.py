"""Progress: XP from activities, levels, tiers, role rewards and /profile with a rank card."""

from __future__ import annotations

from cogs.kit import (
    Cog,
    CogContext,
    Mention,
    Registry,
    Reply,
    Tone,
    Visibility,
    mention_token,
    typed,
)
from cogs.kit import messages as words
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.progress import commands
from cogs.progress import messages as _messages
from domain.core.activity import each
from domain.core.announcements import Announcement, Target
from domain.core.contracts import TierReader
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member
from domain.progress import ProgressService
from domain.progress.activities import LevelUp, TierUp
from domain.progress.projection import XpProjection

register(_messages.MESSAGES)


async def _mention(uow: UnitOfWork, member: Member) -> Mention:
    accounts = await uow.get(IdentityRepository).accounts_of([member.id])
    return Mention(
        int(member.id),
        member.display_name,
        {str(a.platform): a.user_id for a in accounts},
    )


async def announce_level(uow: UnitOfWork, activity: LevelUp) -> None:
    """Announce a member's new level in the announcements channel (once per level)."""
    member = await uow.get(IdentityRepository).get_member(activity.member_id)
    if member is None:
        return
    level = activity.level
    reply = Reply(
        text=words.text("progress.level_up", who=mention_token(member.id), level=level),
        tone=Tone.SUCCESS,
        mentions=(await _mention(uow, member),),
        ping=True,
    )
    uow.announce(
        Announcement(
            community_id=activity.community_id,
            kind="level_up",
            dedupe_key=f"level_up:{member.id}:{level}",
            payload=reply.to_dict(),
            channel_kind="announcements",
            member_id=member.id,
        )
    )


async def announce_tier(uow: UnitOfWork, activity: TierUp) -> None:
    """Announce a member's new tier, and the roles it grants, once per tier."""
    member = await uow.get(IdentityRepository).get_member(activity.member_id)
    if member is None:
        return
    mention = await _mention(uow, member)
    tier, index = activity.tier, activity.tier_index
    reply = Reply(
        text=words.text("progress.tier_up", who=mention_token(member.id), tier=tier),
        tone=Tone.SUCCESS,
        mentions=(mention,),
        ping=True,
    )
    uow.announce(
        Announcement(
            community_id=activity.community_id,
            kind="tier_up",
            dedupe_key=f"tier_up:{member.id}:{index}",
            payload=reply.to_dict(),
            channel_kind="announcements",
            member_id=member.id,
        )
    )
    for role in activity.roles:
        # Adapters that can grant roles (Discord) read payload["role"]; others skip it.
        note = Reply(
            text=words.text("progress.role_granted", who=mention_token(member.id), role=role),
            mentions=(mention,),
        )
        uow.announce(
            Announcement(
                community_id=activity.community_id,
                kind="role_grant",
                dedupe_key=f"role_grant:{member.id}:{role}"[:200],
                payload={**note.to_dict(), "role": role, "member_id": int(member.id)},
                target=Target.CHANNEL,
                channel_kind="announcements",
                member_id=member.id,
            )
        )


def setup(registry: Registry, ctx: CogContext) -> None:
    """Offer the progress service; gain XP and announce levels from activities."""
    service = ProgressService(ctx.config.progress)
    ctx.provide(ProgressService, service)
    ctx.provide(TierReader, service)
    registry.add_projection(XpProjection(dict(ctx.config.progress.xp), service.curve))
    registry.add_projection(each("progress.level-announcements", LevelUp, announce_level))
    registry.add_projection(each("progress.tier-announcements", TierUp, announce_tier))

    registry.add(cog())


def cog() -> Cog:
    """Declare /profile."""
    return Cog(
        name="progress",
        commands=[
            typed.command(
                "profile",
                "Show your level, tier, points, streak and rank (or a member's)",
                commands.profile,
                options=(opt.member("member", "Whose profile to show", required=False),),
                visibility=Visibility.PUBLIC,
                writes=False,
                slow=True,
                examples=("/profile", "/profile @ana"),
            )
        ],
    )
