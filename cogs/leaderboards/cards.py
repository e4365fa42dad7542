"""Reply builders of leaderboards: the board page with the caller's own line."""

from __future__ import annotations

from datetime import date

from cogs.kit import Call, Reply
from cogs.kit import messages as words
from cogs.kit.reply import Mention, mention_token
from cogs.leaderboards import messages as _messages
from domain.core.ids import MemberId
from domain.leaderboards import Board, Period, Standings


def _mention(call: Call, member_id: MemberId, name: str) -> str:
    if member_id not in call.mentions:
        call.mentions[member_id] = Mention(int(member_id), name)
    return mention_token(member_id)


def _elo(n: int) -> str:
    return "Elo"


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%b %-d")


def title_of(s: Standings) -> str:
    """The board's title: what it ranks, and which period or season."""
    board = words.text(f"leaderboards.board.{s.board.value}")
    if s.period is Period.ALL:
        return words.text("leaderboards.title_all", board=board)
    span = (
        words.text("leaderboards.span", first=_day(s.first_day), last=_day(s.last_day))
        if s.first_day and s.last_day
        else ""
    )
    if s.current:
        return words.text(
            "leaderboards.title_current", board=board, period=s.period.value, span=span
        )
    return words.text(
        "leaderboards.title_season", board=board, period=s.period.value, season=s.season, span=span
    )


def render(call: Call, s: Standings) -> Reply:
    """The board page, then the caller's own line ("14 points behind @ana for #11")."""
    unit = s.board.unit
    if s.board is Board.BATTLE and s.period is Period.ALL:  # the all-time battle board is Elo
        unit = _elo
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
