"""Handlers of /ask (also what a DM to the bot becomes) and /admin ai usage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from cogs.kit import Call, Field, Reply
from cogs.kit.messages import text
from cogs.mentor_ai.cards import continuation, split_answer
from domain.core.ai_spend import AiCallRepository, month_start
from domain.identity import IdentityRepository
from domain.mentor_ai import MentorAiService


def service(call: Call) -> MentorAiService:
    """The AI mentor service the feature provided at setup."""
    return call.ctx.need(MentorAiService)


@dataclass(frozen=True, slots=True)
class AskOptions:
    """Options of /ask (also what a DM to the bot carries)."""

    question: str | None


async def ask(call: Call, o: AskOptions) -> Reply:
    """/ask <question>: the AI mentor answers (only to the asker); `/ask reset` forgets.

    Declared read-only: the model may think for many seconds, so the service
    reads and writes in short units of its own instead of holding the runner's.
    """
    # The whole line is the question: shell-style word splitting would eat the
    # apostrophes of "what's" (the option parser groups quoted words).
    raw = call.inv.text if call.inv.text is not None else o.question
    question = (raw or "").strip()
    if not question:
        return Reply(text=text("mentor_ai.empty"))
    if question.lower() in ("reset", "forget", "/reset"):
        forgotten = await service(call).reset(call.ctx.uow, call.member)
        return Reply(text=text("mentor_ai.reset", n=forgotten))
    answer = await service(call).ask(
        call.ctx.uow, call.community, call.member, question, call.now, call.inv.key or None
    )
    parts = split_answer(answer.text, service(call).section.answer_chunk_chars)
    if len(parts) > 1:
        async with call.ctx.uow() as writing:
            for i, part in enumerate(parts[1:], 2):
                writing.announce(continuation(call, part, i, len(parts)))
            await writing.commit()
    footer = text("mentor_ai.continued") if len(parts) > 1 and not call.inv.place.is_dm else None
    return Reply(text=parts[0], footer=footer)


async def usage(call: Call) -> Reply:
    """/admin ai usage: tokens and cost by day (last 14 days) and this month's top users."""
    tz = ZoneInfo(call.community.timezone)
    section = call.ctx.config.ai
    repo = call.uow.get(AiCallRepository)
    days = await repo.daily(call.community.id, call.now - timedelta(days=14), tz)
    month = month_start(call.now, tz)
    totals = await repo.totals(call.community.id, month)
    top = await repo.top_members(call.community.id, month, 5)
    identity = call.uow.get(IdentityRepository)
    lines = []
    for row in top:
        member = await identity.get_member(row.member_id)
        who = call.mention(member) if member else "someone"
        lines.append(f"{who}: {row.totals.tokens:,} tokens in {row.totals.calls} calls")
    by_day = [
        f"{d.day:%a %d %b}: {d.totals.tokens:,} tokens, {d.totals.calls} calls,"
        f" {d.totals.cost_micros / 1_000_000:.4f} {section.currency}"
        for d in days
    ]
    budget = section.community_monthly_tokens
    fields = (
        Field(
            "This month",
            f"{totals.tokens:,} tokens"
            + (f" of {budget:,}" if budget else "")
            + f" · {totals.cost_micros / 1_000_000:.4f} {section.currency}",
            inline=False,
        ),
        Field("Top users this month", "\n".join(lines) or "—", inline=False),
    )
    return Reply(
        title="🤖 AI usage",
        text="\n".join(by_day) or "No AI calls in the last 14 days.",
        fields=fields,
    )
