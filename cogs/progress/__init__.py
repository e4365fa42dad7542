"""Progress: XP from activities, levels, tiers, role rewards and /profile with a rank card."""

from __future__ import annotations

import asyncio

from cogs.kit import (
    Call,
    Cog,
    CogContext,
    Command,
    Field,
    Image,
    Mention,
    Registry,
    Reply,
    Tone,
    Visibility,
    mention_token,
)
from cogs.kit import options as opt
from cogs.kit.format import plural, progress_bar
from cogs.kit.messages import register
from cogs.progress import messages as _messages
from cogs.progress.card import CardData, render_card
from cogs.progress.messages import CAP_REACHED, SOURCE_LABELS
from domain.checkin import StreakRepository, local_day
from domain.core.activity import each
from domain.core.announcements import Announcement, Target
from domain.core.contracts import AchievementReader, RankReader, TierReader
from domain.core.uow import UnitOfWork
from domain.identity import IdentityRepository, Member
from domain.progress import ProgressService
from domain.progress.activities import LevelUp, TierUp

register(_messages.MESSAGES)


async def _mention(uow: UnitOfWork, member: Member) -> Mention:
    accounts = await uow.get(IdentityRepository).accounts_of([member.id])
    return Mention(
        int(member.id),
        member.display_name,
        {str(a.platform): a.user_id for a in accounts},
    )


def setup(registry: Registry, ctx: CogContext) -> None:
    service = ProgressService(ctx.config.progress)
    ctx.provide(ProgressService, service)
    ctx.provide(TierReader, service)
    registry.add_projection(each("progress.xp", service.sources, service.on_activity))

    async def announce_level(uow: UnitOfWork, activity: LevelUp) -> None:
        member = await uow.get(IdentityRepository).get_member(activity.member_id)
        if member is None:
            return
        level = activity.level
        reply = Reply(
            text=f"🎉 {mention_token(member.id)} reached **level {level}**!",
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
        member = await uow.get(IdentityRepository).get_member(activity.member_id)
        if member is None:
            return
        mention = await _mention(uow, member)
        tier, index = activity.tier, activity.tier_index
        reply = Reply(
            text=f"🌳 {mention_token(member.id)} grew into **{tier}**!",
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
                text=f"{mention_token(member.id)} now has the **{role}** role.",
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

    registry.add_projection(each("progress.level-announcements", LevelUp, announce_level))
    registry.add_projection(each("progress.tier-announcements", TierUp, announce_tier))

    async def profile(call: Call) -> Reply:
        who: Member = call.options["member"] or call.member
        standing = await service.standing(call.uow, who.id)
        balance = await ctx.points.balance(call.uow, who.id)
        streak = await call.uow.get(StreakRepository).get(who.id)
        current = streak.current
        zone = who.timezone or call.community.timezone
        if streak.last_checkin_at is not None:
            missed = (local_day(call.now, zone) - local_day(streak.last_checkin_at, zone)).days - 1
            if missed > streak.freezes:  # broken; it restarts at the next check-in
                current = 0
        rank_reader = ctx.maybe(RankReader)
        rank = await rank_reader.rank_of(call.uow, who.id, "xp", "all") if rank_reader else None
        achievement_reader = ctx.maybe(AchievementReader)
        achievements = (
            await achievement_reader.top_for(call.uow, who.id, 3) if achievement_reader else []
        )

        if standing.next_level_xp is None:
            level_line = f"**{standing.level}** (max) · {standing.xp:,} XP"
        else:
            level_line = (
                f"**{standing.level}** · {standing.xp:,} XP\n"
                f"{progress_bar(standing.level_progress)} {standing.xp_to_next_level:,} XP"
                f" to level {standing.level + 1}"
            )
        if standing.next_tier_name is None:
            tier_line = f"**{standing.tier_name}** (top tier)"
        else:
            tier_line = (
                f"**{standing.tier_name}**\n{progress_bar(standing.tier_progress)}"
                f" {standing.xp_to_next_tier:,} XP to {standing.next_tier_name}"
            )
        streak_line = f"**{current}** (longest {streak.longest})"
        if streak.freezes:
            streak_line += f" · 🧊 {plural(streak.freezes, 'freeze')}"
        fields = [
            Field("Level", level_line),
            Field("Tier", tier_line),
            Field("Points", f"**{balance:,}**"),
            Field("Streak", streak_line),
        ]
        today = await service.today(call.uow, who, zone, call.now)
        if today:
            parts = []
            for t in today:
                part = f"{SOURCE_LABELS.get(t.source, t.source)} {t.xp}"
                if t.daily_cap:
                    part += f"/{t.daily_cap}"
                if t.capped:
                    part += f" ({CAP_REACHED})"
                parts.append(part)
            fields.append(Field("XP today", " · ".join(parts), inline=False))
        if rank is not None:
            fields.append(Field("Rank", f"**#{rank.position}** of {rank.out_of:,}"))
        if achievements:
            fields.append(
                Field(
                    "Top achievements",
                    "\n".join(
                        f"🏆 **{a.name}** — held by {a.rarity_percent:.0f}% of members"
                        for a in achievements
                    ),
                    inline=False,
                )
            )
        card = CardData(
            name=who.display_name,
            level=standing.level,
            tier_name=standing.tier_name,
            tier_index=standing.tier_index,
            xp=standing.xp,
            level_start_xp=standing.level_start_xp,
            next_level_xp=standing.next_level_xp,
            rank=rank.position if rank else None,
            ranked=rank.out_of if rank else None,
        )
        png = await asyncio.to_thread(render_card, card)
        return Reply(
            title=f"{who.display_name}'s profile",
            text=f"{call.mention(who)} · {'🔒 locked' if who.is_locked else standing.tier_name}",
            fields=tuple(fields),
            image=Image(
                png,
                "rank-card.png",
                alt=f"{who.display_name}: level {standing.level}, {standing.tier_name}",
            ),
        )

    registry.add(
        Cog(
            name="progress",
            commands=[
                Command(
                    "profile",
                    "Show your level, tier, points, streak and rank (or a member's)",
                    profile,
                    options=(opt.member("member", "Whose profile to show", required=False),),
                    visibility=Visibility.PUBLIC,
                    writes=False,
                    slow=True,
                    examples=("/profile", "/profile @ana"),
                )
            ],
        )
    )
