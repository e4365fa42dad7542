"""Reply builders of progress: the profile's fields, level-up and tier-up announcements."""

from __future__ import annotations

from cogs.kit import Call, Field, Reply
from cogs.kit.format import plural, progress_bar
from cogs.progress.messages import CAP_REACHED, SOURCE_LABELS
from domain.checkin import StreakState
from domain.core.contracts import HeldAchievement, Rank
from domain.identity import Member
from domain.progress import SourceToday, Standing


def profile(
    call: Call,
    who: Member,
    standing: Standing,
    balance: int,
    streak: StreakState,
    current: int,
    today: list[SourceToday],
    rank: Rank | None,
    achievements: list[HeldAchievement],
) -> Reply:
    """The profile without its image: level, tier, points, streak, XP today, rank, top three."""
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
    return Reply(
        title=f"{who.display_name}'s profile",
        text=f"{call.mention(who)} · {'🔒 locked' if who.is_locked else standing.tier_name}",
        fields=tuple(fields),
    )
