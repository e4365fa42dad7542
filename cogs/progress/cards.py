"""Reply builders of progress: the profile's fields, level-up and tier-up announcements."""

from __future__ import annotations

from cogs.kit import Call, Field, Reply
from cogs.kit import messages as words
from cogs.kit.format import progress_bar
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
        level_line = words.text("progress.level_max", level=standing.level, xp=f"{standing.xp:,}")
    else:
        level_line = words.text(
            "progress.level_line",
            level=standing.level,
            xp=f"{standing.xp:,}",
            bar=progress_bar(standing.level_progress),
            to_next=f"{standing.xp_to_next_level:,}",
            next=standing.level + 1,
        )
    if standing.next_tier_name is None:
        tier_line = words.text("progress.tier_top", tier=standing.tier_name)
    else:
        tier_line = words.text(
            "progress.tier_line",
            tier=standing.tier_name,
            bar=progress_bar(standing.tier_progress),
            to_next=f"{standing.xp_to_next_tier:,}",
            next=standing.next_tier_name,
        )
    streak_line = words.text("progress.streak_line", current=current, longest=streak.longest)
    if streak.freezes:
        streak_line += words.count("progress.streak_freezes", streak.freezes)
    fields = [
        Field(words.text("progress.field.level"), level_line),
        Field(words.text("progress.field.tier"), tier_line),
        Field(words.text("progress.field.points"), f"**{balance:,}**"),
        Field(words.text("progress.field.streak"), streak_line),
    ]
    if today:
        parts = []
        for t in today:
            label = f"progress.source.{t.source}"
            part = f"{words.text(label) if words.has(label) else t.source} {t.xp}"
            if t.daily_cap:
                part += f"/{t.daily_cap}"
            if t.capped:
                part += words.text("progress.cap_reached")
            parts.append(part)
        fields.append(Field(words.text("progress.field.today"), " · ".join(parts), inline=False))
    if rank is not None:
        fields.append(
            Field(
                words.text("progress.field.rank"),
                # Named: a bare "#7 of 7" read as the points-this-week board /leaderboard shows.
                words.text(
                    "progress.rank_line",
                    position=rank.position,
                    out_of=f"{rank.out_of:,}",
                    board=words.text("progress.rank_board"),
                ),
            )
        )
    if achievements:
        fields.append(
            Field(
                words.text("progress.field.achievements"),
                "\n".join(
                    words.text(
                        "progress.achievement_line",
                        emoji=a.emoji,
                        name=a.name,
                        percent=f"{a.rarity_percent:.0f}",
                    )
                    for a in achievements
                ),
                inline=False,
            )
        )
    status = words.text("progress.locked") if who.is_locked else standing.tier_name
    return Reply(
        title=words.text("progress.title", name=who.display_name),
        text=f"{call.mention(who)} · {status}",
        fields=tuple(fields),
        footer=words.text("progress.other_boards") if rank is not None else None,
    )
