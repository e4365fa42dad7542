"""Reply builders of points: the history page."""

from __future__ import annotations

from cogs.kit import Button, Call, Reply
from cogs.kit import messages as words
from domain.identity import Member
from domain.points import EntryKind, LedgerEntry


def history_line(call: Call, e: LedgerEntry, names: dict[int, Member]) -> str:
    """One ledger entry: date, signed amount, kind, counterparty or source, reason, expiry."""
    sign = "+" if e.amount > 0 else "−"
    kind = words.text(f"points.kind.{e.kind.value}")
    line = f"`{e.created_at:%Y-%m-%d}` **{sign}{abs(e.amount)}** {kind}"
    other = names.get(e.counterparty_id or 0)
    if other is not None:
        direction = "points.history_to" if e.kind is EntryKind.GIFTED else "points.history_from"
        line += words.text(direction, who=call.mention(other))
    elif e.source not in ("gift", "admin"):
        line += f" ({e.source})"
    if e.reason:
        line += f" — {e.reason}"
    if e.expires_at is not None and e.kind is EntryKind.EARNED:
        line += words.text("points.history_expires", date=f"{e.expires_at:%Y-%m-%d}")
    return line


def history(
    call: Call,
    who: Member,
    entries: list[LedgerEntry],
    names: dict[int, Member],
    page: int,
    pages: int,
    total: int,
) -> Reply:
    """A page of history with newer/older buttons."""
    heading = (
        words.text("points.history_yours")
        if who.id == call.member.id
        else words.text("points.history_theirs", who=call.mention(who))
    )
    lines = [history_line(call, e, names) for e in entries] or [words.text("points.history_empty")]
    buttons = []
    if page > 1:
        buttons.append(
            Button(words.text("points.history_newer"), f"points.history:{who.id}:{page - 1}")
        )
    if page < pages:
        buttons.append(
            Button(words.text("points.history_older"), f"points.history:{who.id}:{page + 1}")
        )
    return Reply(
        title=words.text("points.history_title"),
        text=heading + "\n" + "\n".join(lines),
        footer=words.text(
            "points.history_footer",
            page=page,
            pages=pages,
            entries=words.count("count.entries", total),
        ),
        buttons=tuple(buttons),
    )
