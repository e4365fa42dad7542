"""Scheduled jobs and activity hooks that write announcements to the outbox.

Jobs never talk to a platform: each writes `Announcement`s with a dedupe key
in its own unit of work, and the deliverer sends them. The keys make a job
safe to run again for the same scheduled time.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cogs.kit import CogContext, Cron, Job, Reply, Tone, mention_token, messages
from cogs.kit.reply import Mention
from domain.core.activity import Activity, ActivityHandler
from domain.core.announcements import Announcement, Target
from domain.core.contracts import LeaderboardReader, PulseReader, TierReader
from domain.core.invocations import InvocationLog
from domain.core.uow import UnitOfWork
from domain.identity import Community, IdentityRepository
from domain.notifications import NotificationRepository, NotificationService, parse_clock

log = logging.getLogger(__name__)
MEDALS = ("🥇", "🥈", "🥉")


def _mention(member_id: int, name: str) -> Mention:
    return Mention(int(member_id), name)


def build_jobs(ctx: CogContext, service: NotificationService) -> list[Job]:
    """Declare the reminder, leaderboard and housekeeping jobs of notifications."""
    config = ctx.config

    async def streak_reminders(now: datetime) -> None:
        async with ctx.uow(read_only=True) as uow:
            communities = await uow.get(NotificationRepository).communities()
        for community in communities:
            async with ctx.uow() as uow:
                await _remind(uow, community, service, now)
                await uow.commit()

    async def weekly_leaderboard(now: datetime) -> None:
        await _leaderboards(ctx, now, period="week")

    async def monthly_leaderboard(now: datetime) -> None:
        await _leaderboards(ctx, now, period="month")

    async def prune_invocations(now: datetime) -> None:
        cutoff = now - timedelta(days=config.schedule.invocation_log_days)
        async with ctx.uow() as uow:
            removed = await uow.get(InvocationLog).forget_before(cutoff)
            await uow.commit()
        log.info("pruned %d invocation log rows older than %s", removed, cutoff.date())

    at = parse_clock(config.schedule.leaderboard_time)
    jobs = [
        Job(
            "notifications.streak_reminders",
            Cron(minute="*/5"),
            streak_reminders,
            grace=timedelta(minutes=10),
            description="streak reminders at each member's local evening",
        ),
        Job(
            "maintenance.prune_invocations",
            Cron(minute="30", hour="3"),
            prune_invocations,
            grace=None,
            description="forget old idempotency keys",
        ),
    ]
    if config.schedule.weekly_leaderboard:
        jobs.append(
            Job(
                "notifications.weekly_leaderboard",
                Cron(minute=str(at.minute), hour=str(at.hour), day_of_week="mon"),
                weekly_leaderboard,
                grace=timedelta(hours=6),
                description="last week's winners and the new season",
            )
        )
    if config.schedule.monthly_leaderboard:
        jobs.append(
            Job(
                "notifications.monthly_leaderboard",
                Cron(minute=str(at.minute), hour=str(at.hour), day="1"),
                monthly_leaderboard,
                grace=timedelta(hours=6),
                description="last month's winners and the new season",
            )
        )
    return jobs


async def _remind(
    uow: UnitOfWork, community: Community, service: NotificationService, now: datetime
) -> None:
    batch = await service.streak_reminders(uow, community, now)
    for r in batch.by_dm:
        uow.announce(
            Announcement(
                community_id=community.id,
                kind="streak_reminder",
                dedupe_key=f"reminder:streak:{r.member.id}:{r.local_date_iso}",
                payload=Reply(
                    text=messages.text("notifications.reminder.dm", streak=r.streak),
                    footer=messages.text("notifications.reminder.footer"),
                    tone=Tone.WARNING,
                ).to_dict(),
                target=Target.DM,
                member_id=r.member.id,
            )
        )
    if batch.in_channel:
        names = ", ".join(mention_token(r.member.id) for r in batch.in_channel)
        uow.announce(
            Announcement(
                community_id=community.id,
                kind="streak_reminder",
                dedupe_key=f"reminder:streak:c{community.id}:{now:%Y%m%dT%H%M}",
                payload=Reply(
                    text=messages.text("notifications.reminder.channel", names=names),
                    footer=messages.text("notifications.reminder.footer"),
                    tone=Tone.WARNING,
                    mentions=tuple(
                        _mention(r.member.id, r.member.display_name) for r in batch.in_channel
                    ),
                    ping=True,
                ).to_dict(),
                channel_kind="reminders",
            )
        )


def _seasons(now: datetime, timezone: str, period: str) -> tuple[str, str]:
    """(the season that just ended, the one starting), in the community's calendar."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    if period == "week":
        ended = today - timedelta(days=7)
        y, w, _ = ended.isocalendar()
        ny, nw, _ = today.isocalendar()
        return f"{y}-W{w:02d}", f"{ny}-W{nw:02d}"
    last_month = date(today.year, today.month, 1) - timedelta(days=1)
    return f"{last_month:%Y-%m}", f"{today:%Y-%m}"


async def _leaderboards(ctx: CogContext, now: datetime, *, period: str) -> None:
    reader = ctx.maybe(LeaderboardReader)
    if reader is None:
        log.info("no leaderboard feature installed: skipping the %sly post", period)
        return
    async with ctx.uow(read_only=True) as uow:
        communities = await uow.get(NotificationRepository).communities()
    for community in communities:
        ended, starting = _seasons(now, community.timezone, period)
        async with ctx.uow() as uow:
            rows = await reader.top(
                uow, community.id, board="points", period=period, limit=10, season=ended
            )
            if not rows:
                continue
            lines = [
                f"{MEDALS[row.position - 1] if row.position <= 3 else f'{row.position}.'} "
                f"{mention_token(row.member_id)} — **{row.score}**"
                for row in rows
            ]
            lines.append("")
            pulse_reader = ctx.maybe(PulseReader)
            pulse = await pulse_reader.pulse(uow, community.id, now) if pulse_reader else None
            if pulse is not None and period == "week":
                lines.append(
                    messages.text(
                        "notifications.leaderboard.pulse",
                        active=pulse.active_members,
                        new=pulse.new_members,
                        stickiness=f"{pulse.stickiness:.0%}",
                    )
                )
            lines.append(messages.text("notifications.leaderboard.new_season", season=starting))
            uow.announce(
                Announcement(
                    community_id=community.id,
                    kind=f"leaderboard_{period}",
                    dedupe_key=f"leaderboard:{period}:{community.id}:{ended}",
                    payload=Reply(
                        title=messages.text(
                            f"notifications.leaderboard.{period}_title", season=ended
                        ),
                        text="\n".join(lines),
                        tone=Tone.SUCCESS,
                        mentions=tuple(_mention(r.member_id, r.display_name) for r in rows),
                    ).to_dict(),
                    channel_kind="leaderboard",
                )
            )
            await uow.commit()


def nudge_handler(ctx: CogContext, service: NotificationService) -> ActivityHandler[Activity]:
    """An activity handler: after an XP gain, nudge a member close to the next tier."""

    async def on_activity(uow: UnitOfWork, activity: Activity) -> None:
        reader = ctx.maybe(TierReader)
        if reader is None:
            return
        info = await reader.tier_of(uow, activity.member_id)
        if info.next_tier_name is None or not service.near_next_tier(info.xp_to_next_tier):
            return  # most gains: no member or community row read for them
        assert info.xp_to_next_tier is not None  # near_next_tier says so
        identity = uow.get(IdentityRepository)
        member = await identity.get_member(activity.member_id)
        community = await identity.get_community(activity.community_id)
        if member is None or community is None:
            return
        decision = await service.tier_nudge(
            uow, member, community, info.tier_index, info.xp_to_next_tier, activity.occurred_at
        )
        if decision is None:
            return
        footer = messages.text("notifications.nudge.footer")
        if decision.by_dm:
            reply = Reply(
                text=messages.text(
                    "notifications.nudge.dm", xp=info.xp_to_next_tier, tier=info.next_tier_name
                ),
                footer=footer,
            )
        else:
            reply = Reply(
                text=messages.text(
                    "notifications.nudge.channel",
                    who=mention_token(member.id),
                    xp=info.xp_to_next_tier,
                    tier=info.next_tier_name,
                ),
                footer=footer,
                mentions=(_mention(member.id, member.display_name),),
            )
        uow.announce(
            Announcement(
                community_id=community.id,
                kind="tier_nudge",
                dedupe_key=f"nudge:tier:{member.id}:{info.tier_index + 1}",
                payload=reply.to_dict(),
                target=Target.DM if decision.by_dm else Target.CHANNEL,
                channel_kind="reminders",
                member_id=member.id,
                not_before=decision.not_before,
            )
        )

    return on_activity
