"""Handlers and cards of /report and the moderators' Dismiss / Warn / Lock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cogs.kit import Button, ButtonStyle, Call, Mention, Reply, Tone, mention_token
from cogs.kit.messages import text
from domain.core.ids import parse_id
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


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Options of /report (the message menus fill them in for the member)."""

    member: Member
    reason: str


async def report(call: Call, o: ReportOptions) -> Reply:
    """Handle /report: file a report to the moderators without telling the member who."""
    await _service(call).file(call.uow, call.community, call.member, o.member, o.reason)
    return Reply(
        text=text("moderation.reported", who=o.member.display_name),
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


@dataclass(frozen=True, slots=True)
class DecideOptions:
    """Options of /admin report."""

    id: int
    action: Literal["dismiss", "warn", "lock"]


async def decide(call: Call, o: DecideOptions) -> Reply:
    """`/admin report <id> dismiss|warn|lock`: the typed form of the card's buttons."""
    return await _decide(call, o.id, ReportAction(o.action))


async def decide_button(call: Call) -> Reply:
    """Decide a report from a button of its card: dismiss, warn or lock."""
    report_word, action = (*call.args, "", "")[:2]
    report_id = parse_id(report_word)
    if report_id is None or action not in {str(a) for a in ReportAction}:
        raise ReportNotFoundError(id=report_word or "?")
    return await _decide(call, report_id, ReportAction(action))


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
