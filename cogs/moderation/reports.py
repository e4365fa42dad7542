"""Handlers and cards of /report and the moderators' Dismiss / Warn / Lock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cogs.kit import Button, ButtonStyle, Call, Mention, Reply, Tone, mention_token
from cogs.kit.messages import text
from domain.identity import Member
from domain.moderation import Report, ReportAction, ReportService
from domain.moderation.errors import ReportNotFoundError


def card(report: Report, reporter: Member, subject: Member) -> Mapping[str, Any]:
    """The moderators' card: who reported whom and why, with the three decisions."""
    return Reply(
        title=text("moderation.card_title", id=report.id),
        text=text(
            "moderation.card",
            id=report.id,
            reporter=mention_token(reporter.id),
            subject=mention_token(subject.id),
            reason=report.reason,
        ),
        buttons=(
            Button(text("moderation.dismiss"), f"report.decide:{report.id}:dismiss"),
            Button(text("moderation.warn"), f"report.decide:{report.id}:warn", ButtonStyle.PRIMARY),
            Button(text("moderation.lock"), f"report.decide:{report.id}:lock", ButtonStyle.DANGER),
        ),
        tone=Tone.WARNING,
        mentions=(
            Mention(int(reporter.id), reporter.display_name),
            Mention(int(subject.id), subject.display_name),
        ),
    ).to_dict()


def warning(report: Report) -> Mapping[str, Any]:
    """The DM to the reported member: the reason, never the reporter."""
    return Reply(text=text("moderation.warning", reason=report.reason), tone=Tone.WARNING).to_dict()


def _service(call: Call) -> ReportService:
    return call.ctx.need(ReportService)


async def report(call: Call) -> Reply:
    """Handle /report: file a report to the moderators without telling the member who."""
    subject: Member = call.options["member"]
    await _service(call).file(
        call.uow, call.community, call.member, subject, call.options["reason"]
    )
    return Reply(
        text=text("moderation.reported", who=subject.display_name),
        tone=Tone.SUCCESS,
        ephemeral=True,
    )


async def _decide(call: Call, report_id: int, action: ReportAction) -> Reply:
    decided, subject = await _service(call).decide(
        call.uow, call.community, call.member, report_id, action
    )
    return Reply(
        text=text(f"moderation.decided.{action}", id=decided.id, who=call.mention(subject)),
        tone=Tone.SUCCESS,
    )


async def decide(call: Call) -> Reply:
    """`/admin report <id> dismiss|warn|lock`: the typed form of the card's buttons."""
    return await _decide(call, call.options["id"], ReportAction(call.options["action"]))


async def decide_button(call: Call) -> Reply:
    """Decide a report from a button of its card: dismiss, warn or lock."""
    report_id, action = (*call.args, "", "")[:2]
    if not (report_id.isascii() and report_id.isdigit()) or action not in {
        str(a) for a in ReportAction
    }:
        raise ReportNotFoundError(id=report_id or "?")
    return await _decide(call, int(report_id), ReportAction(action))


REASON_MAX = 500  # the `reason` option of /report
_EXCERPT_MAX = 300


def message_reason(content: str, where: str) -> str:
    """The reason a "Report message" menu files: the message's words and where it was.

    The platforms' message menus (Discord's context menu, Slack's message
    shortcut) run the same /report as a member who types it; this is the
    reason they type for the member, kept within the option's limit.
    """
    excerpt = " ".join(content.split()) or text("moderation.message_empty")
    if len(excerpt) > _EXCERPT_MAX:
        excerpt = excerpt[: _EXCERPT_MAX - 1] + "…"
    reason = text("moderation.message_reason", excerpt=excerpt, where=where)
    return reason[:REASON_MAX]
