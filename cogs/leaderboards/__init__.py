"""/leaderboard: points, XP and streak boards for all time, this week and this month."""

from __future__ import annotations

from datetime import date

from cogs.kit import Call, Cog, CogContext, Command, Registry, Reply
from cogs.kit import messages as words
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.kit.reply import Mention, mention_token
from cogs.leaderboards import messages as _messages
from domain.core.contracts import LeaderboardReader, RankReader
from domain.core.ids import MemberId
from domain.leaderboards import Board, LeaderboardService, Period, Standings
from domain.leaderboards.projection import BoardsProjection

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    section = ctx.config.leaderboards
    service = LeaderboardService(ctx.clock, section.points_kinds, section.page_size)
    ctx.provide(LeaderboardService, service)
    ctx.provide(RankReader, service)  # type: ignore[type-abstract]
    ctx.provide(LeaderboardReader, service)  # type: ignore[type-abstract]
    registry.add_projection(BoardsProjection(service))

    async def leaderboard(call: Call) -> Reply:
        board = Board(call.options["board"] or section.default_board)
        period = Period(call.options["period"] or section.default_period)
        standings = await service.standings(
            call.uow, call.community, call.member.id, board, period, call.options["season"]
        )
        return render(call, standings)

    registry.add(
        Cog(
            name="leaderboards",
            commands=[
                Command(
                    "leaderboard",
                    "Top members by points, XP or streak; your rank and the gap to the next",
                    leaderboard,
                    options=(
                        opt.choice(
                            "board",
                            "What to rank by",
                            tuple(b.value for b in Board),
                            required=False,
                        ),
                        opt.choice(
                            "period",
                            "All time, this week or this month",
                            tuple(p.value for p in Period),
                            required=False,
                        ),
                        opt.string(
                            "season",
                            "A past week (2026-W46) or month (2026-11)",
                            required=False,
                            max_length=10,
                        ),
                    ),
                    writes=False,
                    examples=(
                        "/leaderboard",
                        "/leaderboard xp month",
                        "/leaderboard points week --season 2026-W46",
                    ),
                )
            ],
        )
    )


def _mention(call: Call, member_id: MemberId, name: str) -> str:
    if member_id not in call.mentions:
        call.mentions[member_id] = Mention(int(member_id), name)
    return mention_token(member_id)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%b %-d")


def title_of(s: Standings) -> str:
    name = {Board.POINTS: "Points", Board.XP: "XP", Board.STREAK: "Streaks"}[s.board]
    if s.period is Period.ALL:
        return f"🏆 {name} — all time"
    span = f" ({_day(s.first_day)} – {_day(s.last_day)})" if s.first_day and s.last_day else ""
    if s.current:
        return f"🏆 {name} — this {s.period.value}{span}"
    return f"🏆 {name} — {s.period.value} {s.season}{span}"


def render(call: Call, s: Standings) -> Reply:
    """The board page, then the caller's own line ("14 points behind @ana for #11")."""
    unit = s.board.unit
    if s.top:
        lines = [
            words.text(
                "leaderboards.row",
                place=_messages.MEDALS.get(row.position, f"**#{row.position}**"),
                who=_mention(call, row.member_id, row.display_name),
                score=row.score,
                unit=unit(row.score),
            )
            for row in s.top
        ]
    else:
        empty = "leaderboards.empty_now" if s.current else "leaderboards.empty_season"
        lines = [words.text(empty)]
    mine = s.mine
    if mine is None:
        footer = words.text("leaderboards.not_on_board")
        if s.current:
            footer += words.text("leaderboards.how_to_join")
    else:
        footer = words.text(
            "leaderboards.your_place",
            position=mine.position,
            out_of=mine.out_of,
            score=mine.score,
            unit=unit(mine.score),
        )
        if s.ahead is not None:
            gap = s.ahead.score - mine.score
            footer += words.text(
                "leaderboards.behind",
                gap=gap,
                unit=unit(gap),
                who=_mention(call, s.ahead.member_id, s.ahead.display_name),
                position=s.ahead.position,
            )
        else:
            footer += words.text("leaderboards.top")
    return Reply(title=title_of(s), text="\n".join(lines) + "\n\n" + footer)
