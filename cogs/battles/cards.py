"""Reply builders: the challenge card, the reveal, the result, details and lists.

Nothing here names a voter, and an entry is shown as A or B — never with its
author — until the battle is finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from cogs.kit import Button, ButtonStyle, Field, Reply, Tone
from cogs.kit.format import human_duration
from cogs.kit.messages import count, text
from domain.battles import (
    Battle,
    BattlesSection,
    Entry,
    Judge,
    Method,
    Side,
    Status,
    Tally,
)
from domain.core.ids import MemberId

Names = Mapping[MemberId, str]

_TONE = {
    Status.FINISHED: Tone.SUCCESS,
    Status.DECLINED: Tone.WARNING,
    Status.EXPIRED: Tone.WARNING,
    Status.CANCELLED: Tone.WARNING,
}


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "—"


def _versus(names: Names, battle: Battle) -> str:
    return text(
        "battles.versus",
        one=_who(names, battle.challenger_id),
        other=_who(names, battle.opponent_id),
    )


def _who(names: Names, member_id: MemberId | None) -> str:
    if member_id is None:
        return text("battles.open_slot")
    return f"**{names.get(member_id) or text('battles.someone')}**"


def _short(prompt: str, limit: int = 60) -> str:
    return prompt if len(prompt) <= limit else prompt[: limit - 1] + "…"


def title(battle: Battle) -> str:
    """Return the card title: the battle number and the start of its prompt."""
    return text("battles.title", id=battle.id) + f" · {_short(battle.prompt, 70)}"


def stake_text(battle: Battle) -> str:
    """Describe the stake: points each with the winner taking all, or none for glory."""
    if not battle.stake:
        return text("battles.no_stake")
    return text("battles.stake_each", points=count("count.points", battle.stake))


def challenge(battle: Battle, names: Names) -> Reply:
    """The public card of a new challenge, with Accept/Decline (Accept only if open)."""
    if battle.is_open:
        line = text("battles.open_challenge", challenger=_who(names, battle.challenger_id))
        buttons: tuple[Button, ...] = (
            Button(
                text("battles.button.accept"), f"battle.accept:{battle.id}", ButtonStyle.SUCCESS
            ),
        )
    else:
        line = text(
            "battles.challenge",
            challenger=_who(names, battle.challenger_id),
            opponent=_who(names, battle.opponent_id),
        )
        buttons = (
            Button(
                text("battles.button.accept"), f"battle.accept:{battle.id}", ButtonStyle.SUCCESS
            ),
            Button(
                text("battles.button.decline"), f"battle.decline:{battle.id}", ButtonStyle.DANGER
            ),
        )
    return Reply(
        title=title(battle),
        text=line,
        fields=(
            Field(text("battles.field.prompt"), battle.prompt, inline=False),
            Field(text("battles.field.judge"), text(f"battles.judge.{battle.judge}")),
            Field(text("battles.field.stake"), stake_text(battle)),
            Field(text("battles.field.window"), human_duration_minutes(battle.minutes)),
            Field(text("battles.field.answer_by"), _when(battle.accept_by)),
        ),
        buttons=buttons,
        footer=text("battles.how_to_answer", id=battle.id),
        anchor=f"battle:{battle.id}",
        ephemeral=False,
    )


def human_duration_minutes(minutes: int) -> str:
    """Show a number of minutes as a human duration, like the entry window."""
    return human_duration(timedelta(minutes=minutes))


def challenge_dm(battle: Battle, names: Names) -> Reply:
    """Build the challenge card sent by DM to the member challenged, quoting the prompt."""
    card = challenge(battle, names)
    return card.with_(
        text=text(
            "battles.dm_challenge",
            challenger=_who(names, battle.challenger_id),
            id=battle.id,
            prompt=_short(battle.prompt, 200),
        ),
        anchor=None,
    )


def accepted(battle: Battle, names: Names) -> Reply:
    """Announce that a challenge was accepted: who fights whom, and the entry deadline."""
    return Reply(
        title=title(battle),
        text=text(
            "battles.accepted",
            id=battle.id,
            challenger=_who(names, battle.challenger_id),
            opponent=_who(names, battle.opponent_id),
            deadline=_when(battle.deadline),
        ),
        tone=Tone.SUCCESS,
        ephemeral=False,
    )


def fell_through(battle: Battle) -> Reply:
    """A challenge declined, withdrawn or expired."""
    key = {Status.DECLINED: "battles.declined", Status.EXPIRED: "battles.expired"}.get(
        battle.status, "battles.declined"
    )
    words = text(key, id=battle.id) + (text("battles.refunded") if battle.stake else "")
    return Reply(title=title(battle), text=words, tone=Tone.WARNING)


def _entries_by_side(battle: Battle, entries: list[Entry]) -> list[tuple[Side, str]]:
    by_member = {e.member_id: e.text for e in entries}
    out = []
    for side in (Side.A, Side.B):
        member = battle.member_of(side)
        if member in by_member:
            out.append((side, by_member[member]))
    return out


def reveal(battle: Battle, entries: list[Entry]) -> Reply:
    """Both entries, anonymous, with vote buttons (or a note that the AI is judging)."""
    lines = [text("battles.reveal", id=battle.id, prompt=battle.prompt)]
    lines += [
        text("battles.entry", side=side.value.upper(), text=body)
        for side, body in _entries_by_side(battle, entries)
    ]
    buttons: tuple[Button, ...] = ()
    if battle.status is Status.VOTING:
        footer = text("battles.vote_prompt", id=battle.id)
        buttons = (
            Button(
                text("battles.button.vote_a"), f"battle.vote:{battle.id}:a", ButtonStyle.PRIMARY
            ),
            Button(
                text("battles.button.vote_b"), f"battle.vote:{battle.id}:b", ButtonStyle.PRIMARY
            ),
        )
        fields: tuple[Field, ...] = (
            Field(text("battles.field.votes_close"), _when(battle.voting_ends_at)),
        )
    else:
        footer = text("battles.judging")
        fields = ()
    return Reply(
        title=title(battle),
        text="\n\n".join(lines),
        fields=fields,
        buttons=buttons,
        footer=footer,
        anchor=f"battle:{battle.id}",
        ephemeral=False,
    )


def outcome_lines(
    battle: Battle, names: Names, cfg: BattlesSection, tally: Tally | None
) -> list[str]:
    """Who won and how, in words."""
    if battle.status is Status.CANCELLED:
        if battle.reason:  # by a moderator (rows before migration 0024 name none)
            return [
                text(
                    "battles.result_cancelled",
                    id=battle.id,
                    reason=battle.reason,
                    moderator=_who(names, battle.cancelled_by),
                )
            ]
        return [text("battles.result_no_entries", id=battle.id)]
    if battle.status is not Status.FINISHED or battle.opponent_id is None:
        return [text(f"battles.status.{battle.status}")]
    if battle.winner_id is None:
        head = text(
            "battles.result_draw",
            id=battle.id,
            one=_who(names, battle.challenger_id),
            other=_who(names, battle.opponent_id),
        )
    else:
        loser = (
            battle.opponent_id
            if battle.winner_id == battle.challenger_id
            else (battle.challenger_id)
        )
        head = text(
            "battles.result_win",
            id=battle.id,
            winner=_who(names, battle.winner_id),
            loser=_who(names, loser),
        )
    method = battle.method or Method.VOTE
    votes = tally.total if tally else 0
    return [head, text(f"battles.method.{method}", votes=votes, quorum=cfg.quorum)]


def _signed(n: int) -> str:
    return f"+{n}" if n >= 0 else str(n)


def result(battle: Battle, names: Names, cfg: BattlesSection, tally: Tally | None = None) -> Reply:
    """The verdict card: winner, method, scores or votes, Elo moves and the pot."""
    lines = outcome_lines(battle, names, cfg, tally)
    fields: list[Field] = []
    if battle.a_member_id is not None and battle.opponent_id is not None:
        a, b = (_who(names, battle.member_of(s)) for s in (Side.A, Side.B))
        fields.append(Field(text("battles.field.fighters"), f"A: {a} · B: {b}", inline=False))
    if tally is not None:
        fields.append(
            Field(text("battles.field.tally"), text("battles.tally", a=tally.a, b=tally.b))
        )
    if battle.verdict:
        fields.append(Field(text("battles.field.scores"), verdict_text(battle.verdict), False))
    moves = (
        (battle.challenger_id, battle.challenger_delta),
        (battle.opponent_id, battle.opponent_delta),
    )
    elo = [
        text("battles.elo_line", who=_who(names, member), delta=_signed(delta))
        for member, delta in moves
        if member is not None and delta is not None
    ]
    if elo:
        fields.append(Field(text("battles.field.elo"), " · ".join(elo), inline=False))
    if battle.stake and battle.winner_id is not None and battle.status is Status.FINISHED:
        lines.append(
            text(
                "battles.pot",
                winner=_who(names, battle.winner_id),
                points=count("count.points", 2 * battle.stake),
            )
        )
    elif battle.stake and battle.status in (Status.FINISHED, Status.CANCELLED):
        lines.append(text("battles.refunded").strip())
    return Reply(
        title=title(battle),
        text="\n".join(lines),
        fields=tuple(fields),
        tone=_TONE.get(battle.status, Tone.INFO),
        ephemeral=False,
    )


def verdict_text(verdict: Mapping[str, object]) -> str:
    """Per-criterion scores, totals and the judge's reasons."""
    lines = []
    criteria = verdict.get("criteria") or []
    assert isinstance(criteria, list)
    for c in criteria:
        lines.append(
            text("battles.score_line", name=c["name"], weight=c["weight"], a=c["a"], b=c["b"])
        )
    lines.append(text("battles.score_total", a=verdict["total_a"], b=verdict["total_b"]))
    lines.append(
        text("battles.reasons", reason_a=verdict["reason_a"], reason_b=verdict["reason_b"])
    )
    return "\n".join(lines)


def details(
    battle: Battle,
    names: Names,
    cfg: BattlesSection,
    entries: list[Entry],
    my_vote: Side | None,
    viewer: MemberId,
) -> Reply:
    """/battle show: status, times, and whatever is visible to this member now."""
    status = text(f"battles.status.{battle.status}")
    fields = [
        Field(text("battles.field.prompt"), battle.prompt, inline=False),
        Field(
            text("battles.field.fighters"),
            _versus(names, battle),
        ),
        Field(text("battles.field.status"), status),
        Field(text("battles.field.judge"), text(f"battles.judge.{battle.judge}")),
        Field(text("battles.field.stake"), stake_text(battle)),
    ]
    if battle.status is Status.PENDING:
        fields.append(Field(text("battles.field.answer_by"), _when(battle.accept_by)))
    if battle.status is Status.ACTIVE:
        fields.append(Field(text("battles.field.deadline"), _when(battle.deadline)))
    if battle.status is Status.VOTING:
        fields.append(Field(text("battles.field.votes_close"), _when(battle.voting_ends_at)))
        if not battle.is_fighter(viewer):
            fields.append(Field(text("battles.field.your_vote"), (my_vote or "—").upper()))
    body = ""
    if battle.a_member_id is not None:
        body = "\n\n".join(
            text("battles.entry", side=side.value.upper(), text=t)
            for side, t in _entries_by_side(battle, entries)
        )
    elif battle.is_fighter(viewer):
        mine = [e for e in entries if e.member_id == viewer]
        if mine:
            body = text("battles.submitted", id=battle.id)
    if battle.status.final:
        body = "\n".join(outcome_lines(battle, names, cfg, None)) + ("\n\n" + body if body else "")
    if battle.verdict:
        fields.append(Field(text("battles.field.scores"), verdict_text(battle.verdict), False))
    return Reply(
        title=title(battle),
        text=body,
        fields=tuple(fields),
        tone=_TONE.get(battle.status, Tone.INFO),
    )


def listing(battles: list[Battle], names: Names, which: str) -> Reply:
    """List battles under the title for `which` (open, mine or past), one line each."""
    if not battles:
        return Reply(title=text(f"battles.list_title.{which}"), text=text("battles.list_empty"))
    rows = [
        text(
            "battles.list_row",
            id=b.id,
            who=_versus(names, b),
            prompt=_short(b.prompt, 50),
            status=text(f"battles.status.{b.status}"),
        )
        for b in battles
    ]
    return Reply(title=text(f"battles.list_title.{which}"), text="\n".join(rows))


def judge_label(judge: Judge) -> str:
    """Name how a battle is judged: the AI judge or the community vote."""
    return text(f"battles.judge.{judge}")
