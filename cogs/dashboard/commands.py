"""Handlers of `/admin dashboard` and `/admin stats`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from domain.analytics import AnalyticsService, Headline
from domain.dashboard import DashboardAuth, DashboardSite, FailedDeliveries, Grant

WINDOWS = {"7d": 7, "30d": 30, "90d": 90}


async def admin_dashboard(call: Call) -> Reply:
    """Send the moderator a single-use sign-in link, privately."""
    site = call.ctx.maybe(DashboardSite)
    if site is None:
        return Reply(text=words.text("dashboard.not_served"), tone=Tone.WARNING)
    actor = call.inv.actor
    grant = Grant(
        community_id=call.community.id,
        member_id=call.member.id,
        platform=str(actor.platform),
        workspace_id=actor.workspace_id,
        user_id=actor.user_id,
        display_name=actor.display_name,
        is_moderator=actor.is_moderator,
    )
    token = await call.ctx.need(DashboardAuth).issue_link(call.uow, grant, call.now)
    return Reply(
        title=words.text("dashboard.link_title"),
        text=words.text("dashboard.link", community=call.community.name, url=site.login_url(token)),
        ephemeral=True,
    )


def _percent(share: float) -> str:
    return f"{share:.0%}"


def stats_lines(headline: Headline) -> list[str]:
    """The headline numbers as chat lines (also the dashboard overview's summary)."""
    p = headline.participation
    lines = [
        words.text("dashboard.stats_members", members=headline.members, new=headline.new_members),
        words.text(
            "dashboard.stats_active",
            dau=headline.dau,
            wau=headline.wau,
            mau=headline.mau,
            stickiness=_percent(headline.stickiness),
        ),
        (
            words.text("dashboard.stats_retention", retention=_percent(headline.retention_d30))
            if headline.retention_d30 is not None
            else words.text("dashboard.stats_retention_unknown")
        ),
        words.text(
            "dashboard.stats_participation",
            active=p.active,
            checked_in=_percent(p.share(p.checked_in)),
            voted=_percent(p.share(p.voted)),
            gave=_percent(p.share(p.gave)),
            quested=_percent(p.share(p.completed_quest)),
        ),
        words.text(
            "dashboard.stats_points", issued=headline.points_issued, spent=headline.points_spent
        ),
    ]
    if headline.top:
        names = ", ".join(f"{t.display_name} ({t.points})" for t in headline.top[:5])
        lines.append(words.text("dashboard.stats_top", names=names))
    return lines


@dataclass(frozen=True, slots=True)
class StatsOptions:
    """Options of /admin stats."""

    window: Literal["7d", "30d", "90d"] | None


async def admin_stats(call: Call, o: StatsOptions) -> Reply:
    """The community's headline numbers over 7, 30 or 90 days (30 unless asked)."""
    days = WINDOWS[o.window or "30d"]
    headline = await call.ctx.need(AnalyticsService).headline(
        call.uow, call.community, call.now, days
    )
    title = words.text("dashboard.stats_title", community=call.community.name, days=days)
    if headline.mau == 0 and headline.members == 0:
        return Reply(title=title, text=words.text("dashboard.stats_empty"))
    return Reply(title=title, text="\n".join(stats_lines(headline)))


@dataclass(frozen=True, slots=True)
class RetryOptions:
    """Options of /admin outbox retry."""

    id: int


async def admin_outbox_retry(call: Call, o: RetryOptions) -> Reply:
    """Send a failed announcement again (after fixing the channel or the bot's permissions)."""
    outbox_id = o.id
    requeued = await call.uow.get(FailedDeliveries).requeue(call.community.id, outbox_id, call.now)
    if not requeued:
        return Reply(text=words.text("dashboard.retry_unknown", id=outbox_id), tone=Tone.WARNING)
    return Reply(text=words.text("dashboard.retry_queued", id=outbox_id), tone=Tone.SUCCESS)
