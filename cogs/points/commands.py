"""Points handlers: balances, gifts, history, and moderators' adjustments.

Module-level functions taking the call and typed options; the ledger
service is `call.ctx.points`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cogs.kit import Call, Reply, Tone
from cogs.kit import messages as words
from cogs.kit.format import bold_points
from cogs.points import cards
from domain.core.errors import InvalidInputError, NotFoundError
from domain.core.ids import MemberId, parse_ids
from domain.identity import IdentityRepository, Member
from domain.points import LedgerRepository
from domain.points.errors import HistoryPageError


@dataclass(frozen=True, slots=True)
class MemberOptions:
    """Options of a command about one member, the caller by default."""

    member: Member | None


async def balance(call: Call, o: MemberOptions) -> Reply:
    """Show the caller's balance, or another member's."""
    who = o.member or call.member
    points = await call.ctx.points.balance(call.uow, who.id)
    if who.id == call.member.id:
        return Reply(text=words.text("points.balance_self", points=bold_points(points)))
    return Reply(
        text=words.text("points.balance_other", who=call.mention(who), points=bold_points(points))
    )


@dataclass(frozen=True, slots=True)
class GiveOptions:
    """Options of /points give."""

    member: Member
    amount: int
    reason: str | None


async def give(call: Call, o: GiveOptions) -> Reply:
    """Move points from the caller to another member, once per interaction."""
    result = await call.ctx.points.give(
        call.uow,
        call.member,
        o.member,
        o.amount,
        key=f"gift:{call.inv.actor.platform}:{call.inv.key}",
        reason=o.reason,
        timezone=call.member.timezone or call.community.timezone,
    )
    text = words.text(
        "points.gave",
        giver=call.mention(call.member),
        receiver=call.mention(o.member),
        points=bold_points(o.amount),
    )
    text += (
        words.text("points.with_reason", reason=o.reason) if o.reason else words.text("points.end")
    )
    return Reply(
        text=text,
        tone=Tone.SUCCESS,
        footer=words.text("points.your_balance", balance=result.giver_balance),
        ping=True,
    )


async def history_page(call: Call, who: Member, page: int) -> Reply:
    """One page of a member's ledger, newest first.

    Raises:
        HistoryPageError: the page is past the last one.
    """
    page_size = call.ctx.config.points.history_page_size
    ledger = call.uow.get(LedgerRepository)
    total = await ledger.count(who.id)
    pages = max(math.ceil(total / page_size), 1)
    if page > pages:
        raise HistoryPageError(page=page, pages=pages, unit="page" if pages == 1 else "pages")
    entries = await ledger.history(who.id, page_size, (page - 1) * page_size)
    identity = call.uow.get(IdentityRepository)
    names: dict[int, Member] = {}
    for other_id in {e.counterparty_id for e in entries if e.counterparty_id}:
        other = await identity.get_member(MemberId(other_id))
        if other is not None:
            names[other_id] = other
    return cards.history(call, who, entries, names, page, pages, total)


@dataclass(frozen=True, slots=True)
class HistoryOptions:
    """Options of /points history."""

    member: Member | None
    page: int


async def history(call: Call, o: HistoryOptions) -> Reply:
    """/points history [member] [page]."""
    return await history_page(call, o.member or call.member, o.page)


async def history_button(call: Call) -> Reply:
    """Newer/older buttons: `points.history:<member id>:<page>`."""
    parsed = parse_ids(call.args[:2], 2)
    if parsed is None:
        raise InvalidInputError(problem=words.text("points.button_out_of_date"))
    member_id, page = parsed
    who = await call.uow.get(IdentityRepository).get_member(MemberId(member_id))
    if who is None or who.community_id != call.community.id:
        raise NotFoundError(what=words.text("points.that_member"))
    return await history_page(call, who, max(page, 1))


@dataclass(frozen=True, slots=True)
class AdjustOptions:
    """Options of /admin award and /admin revoke."""

    member: Member
    amount: int
    reason: str


async def award(call: Call, o: AdjustOptions) -> Reply:
    """Award points to a member, with the reason on record."""
    new_balance = await call.ctx.points.adjust(
        call.uow,
        call.member,
        o.member,
        o.amount,
        key=f"admin:{call.inv.actor.platform}:{call.inv.key}",
        reason=o.reason,
    )
    return Reply(
        text=words.text(
            "points.awarded",
            moderator=call.mention(call.member),
            who=call.mention(o.member),
            points=bold_points(o.amount),
            reason=o.reason,
        ),
        tone=Tone.SUCCESS,
        footer=words.text("points.member_balance", name=o.member.display_name, balance=new_balance),
        ping=True,
    )


async def revoke(call: Call, o: AdjustOptions) -> Reply:
    """Take points back from a member, with the reason on record."""
    new_balance = await call.ctx.points.adjust(
        call.uow,
        call.member,
        o.member,
        -o.amount,
        key=f"admin:{call.inv.actor.platform}:{call.inv.key}",
        reason=o.reason,
    )
    return Reply(
        text=words.text(
            "points.revoked",
            points=bold_points(o.amount),
            who=call.mention(o.member),
            reason=o.reason,
        ),
        tone=Tone.SUCCESS,
        footer=words.text("points.member_balance", name=o.member.display_name, balance=new_balance),
    )


@dataclass(frozen=True, slots=True)
class LockOptions:
    """Options of /admin lock."""

    member: Member
    reason: str


async def lock(call: Call, o: LockOptions) -> Reply:
    """Stop a member from earning or spending points."""
    await call.ctx.points.lock_member(call.uow, call.member, o.member, o.reason)
    return Reply(
        text=words.text("points.locked", who=call.mention(o.member), reason=o.reason),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class UnlockOptions:
    """Options of /admin unlock."""

    member: Member


async def unlock(call: Call, o: UnlockOptions) -> Reply:
    """Let a locked member earn and spend again."""
    await call.ctx.points.unlock_member(call.uow, call.member, o.member)
    return Reply(text=words.text("points.unlocked", who=call.mention(o.member)), tone=Tone.SUCCESS)
