"""/points: balances, gifts and history; moderators' /admin award|revoke|lock|unlock."""

from __future__ import annotations

import logging
import math
from datetime import datetime

from cogs.kit import (
    Action,
    Button,
    Call,
    Cog,
    CogContext,
    Command,
    Cron,
    Job,
    Permission,
    Registry,
    Reply,
    Tone,
    Visibility,
)
from cogs.kit import messages as words
from cogs.kit import options as opt
from cogs.kit.format import bold_points
from cogs.kit.messages import register
from cogs.points import messages as _messages
from domain.core.errors import InvalidInputError, NotFoundError
from domain.core.ids import MAX_ID, MemberId
from domain.identity import IdentityRepository, Member
from domain.points import EntryKind, LedgerEntry, LedgerRepository
from domain.points.errors import HistoryPageError

register(_messages.MESSAGES)
log = logging.getLogger(__name__)

EXPIRY_BATCH = 200


def setup(registry: Registry, ctx: CogContext) -> None:
    page_size = ctx.config.points.history_page_size

    async def balance(call: Call) -> Reply:
        who: Member = call.options["member"] or call.member
        points = await ctx.points.balance(call.uow, who.id)
        if who.id == call.member.id:
            return Reply(text=words.text("points.balance_self", points=bold_points(points)))
        return Reply(
            text=words.text(
                "points.balance_other", who=call.mention(who), points=bold_points(points)
            )
        )

    async def give(call: Call) -> Reply:
        receiver: Member = call.options["member"]
        amount: int = call.options["amount"]
        reason: str | None = call.options["reason"]
        result = await ctx.points.give(
            call.uow,
            call.member,
            receiver,
            amount,
            key=f"gift:{call.inv.actor.platform}:{call.inv.key}",
            reason=reason,
            timezone=call.member.timezone or call.community.timezone,
        )
        text = words.text(
            "points.gave",
            giver=call.mention(call.member),
            receiver=call.mention(receiver),
            points=bold_points(amount),
        )
        text += (
            words.text("points.with_reason", reason=reason) if reason else words.text("points.end")
        )
        return Reply(
            text=text,
            tone=Tone.SUCCESS,
            footer=words.text("points.your_balance", balance=result.giver_balance),
            ping=True,
        )

    def history_line(call: Call, e: LedgerEntry, names: dict[int, Member]) -> str:
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

    async def history_page(call: Call, who: Member, page: int) -> Reply:
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
        heading = (
            words.text("points.history_yours")
            if who.id == call.member.id
            else words.text("points.history_theirs", who=call.mention(who))
        )
        lines = [history_line(call, e, names) for e in entries] or [
            words.text("points.history_empty")
        ]
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

    async def history(call: Call) -> Reply:
        who: Member = call.options["member"] or call.member
        return await history_page(call, who, call.options["page"])

    async def history_button(call: Call) -> Reply:
        if len(call.args) < 2 or not all(
            a.isascii() and a.isdigit() and int(a) <= MAX_ID for a in call.args[:2]
        ):
            raise InvalidInputError(problem=words.text("points.button_out_of_date"))
        member_id, page = (int(a) for a in call.args[:2])
        who = await call.uow.get(IdentityRepository).get_member(MemberId(member_id))
        if who is None or who.community_id != call.community.id:
            raise NotFoundError(what=words.text("points.that_member"))
        return await history_page(call, who, max(page, 1))

    async def award(call: Call) -> Reply:
        who: Member = call.options["member"]
        amount: int = call.options["amount"]
        reason: str = call.options["reason"]
        new_balance = await ctx.points.adjust(
            call.uow,
            call.member,
            who,
            amount,
            key=f"admin:{call.inv.actor.platform}:{call.inv.key}",
            reason=reason,
        )
        return Reply(
            text=words.text(
                "points.awarded",
                moderator=call.mention(call.member),
                who=call.mention(who),
                points=bold_points(amount),
                reason=reason,
            ),
            tone=Tone.SUCCESS,
            footer=words.text("points.member_balance", name=who.display_name, balance=new_balance),
            ping=True,
        )

    async def revoke(call: Call) -> Reply:
        who: Member = call.options["member"]
        amount: int = call.options["amount"]
        reason: str = call.options["reason"]
        new_balance = await ctx.points.adjust(
            call.uow,
            call.member,
            who,
            -amount,
            key=f"admin:{call.inv.actor.platform}:{call.inv.key}",
            reason=reason,
        )
        return Reply(
            text=words.text(
                "points.revoked", points=bold_points(amount), who=call.mention(who), reason=reason
            ),
            tone=Tone.SUCCESS,
            footer=words.text("points.member_balance", name=who.display_name, balance=new_balance),
        )

    async def lock(call: Call) -> Reply:
        who: Member = call.options["member"]
        reason: str = call.options["reason"]
        await ctx.points.lock_member(call.uow, call.member, who, reason)
        return Reply(
            text=words.text("points.locked", who=call.mention(who), reason=reason),
            tone=Tone.SUCCESS,
        )

    async def unlock(call: Call) -> Reply:
        who: Member = call.options["member"]
        await ctx.points.unlock_member(call.uow, call.member, who)
        return Reply(text=words.text("points.unlocked", who=call.mention(who)), tone=Tone.SUCCESS)

    async def expire_credits(now: datetime) -> None:
        """Expire credits past their date, one member per transaction."""
        expired = 0
        for _ in range(10_000):  # bounded: every pass marks what it processed
            async with ctx.uow(read_only=True) as uow:
                due = await uow.get(LedgerRepository).members_with_due_expiry(now, EXPIRY_BATCH)
            if not due:
                break
            for member_id in due:
                async with ctx.uow() as uow:
                    expired += await ctx.points.expire_due(uow, member_id, now)
                    await uow.commit()
        if expired:
            log.info("expired %d points", expired)

    amount_option = opt.integer("amount", "How many points", min_value=1, max_value=1_000_000)
    reason_option = opt.string("reason", "Why (kept on record)", max_length=300, rest=True)
    registry.add(
        Cog(
            name="points",
            commands=[
                Command(
                    "points balance",
                    "Show your points, or another member's",
                    balance,
                    options=(opt.member("member", "Whose balance to show", required=False),),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/points balance", "/points balance @ana"),
                ),
                Command(
                    "points give",
                    "Give some of your points to another member",
                    give,
                    options=(
                        opt.member("member", "Who receives the points"),
                        opt.integer(
                            "amount",
                            "How many points",
                            min_value=1,
                            max_value=ctx.config.points.max_gift,
                        ),
                        opt.string("reason", "What for", required=False, max_length=200, rest=True),
                    ),
                    examples=("/points give @ana 5 thanks for the review",),
                ),
                Command(
                    "points history",
                    "Show how your points (or a member's) moved, newest first",
                    history,
                    options=(
                        opt.member("member", "Whose history to show", required=False),
                        opt.integer("page", "Which page", required=False, min_value=1, default=1),
                    ),
                    visibility=Visibility.EPHEMERAL,
                    writes=False,
                    examples=("/points history", "/points history @ana 2"),
                ),
                Command(
                    "admin award",
                    "Award points to a member, with a reason on record",
                    award,
                    options=(
                        opt.member("member", "Who receives them"),
                        amount_option,
                        reason_option,
                    ),
                    permission=Permission.MODERATOR,
                    examples=("/admin award @ana 50 ran the meetup",),
                ),
                Command(
                    "admin revoke",
                    "Take points back from a member, with a reason on record",
                    revoke,
                    options=(opt.member("member", "From whom"), amount_option, reason_option),
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    examples=("/admin revoke @bob 30 gift ring",),
                ),
                Command(
                    "admin lock",
                    "Stop a member from earning or spending points",
                    lock,
                    options=(opt.member("member", "Whom to lock"), reason_option),
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    examples=("/admin lock @bob gift ring under review",),
                ),
                Command(
                    "admin unlock",
                    "Let a locked member earn and spend again",
                    unlock,
                    options=(opt.member("member", "Whom to unlock"),),
                    permission=Permission.MODERATOR,
                    visibility=Visibility.EPHEMERAL,
                    examples=("/admin unlock @bob",),
                ),
            ],
            actions=[Action("points.history", history_button, writes=False)],
            jobs=[
                Job(
                    "points.expire",
                    Cron(minute="17", hour="*"),
                    expire_credits,
                    grace=None,
                    description="write `expired` entries for credits past their date",
                )
            ],
        )
    )
