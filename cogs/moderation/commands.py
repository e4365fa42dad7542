"""Handlers of /admin audit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cogs.kit import Button, Call, Reply
from cogs.kit.messages import count, text
from domain.core.audit import AuditEntry, AuditLog
from domain.core.errors import InvalidInputError
from domain.core.ids import MemberId, parse_id
from domain.identity import IdentityRepository, Member

PAGE = 10


async def _line(call: Call, entry: AuditEntry, names: dict[int, Member]) -> str:
    actor = names.get(int(entry.actor_id or 0))
    subject = names.get(int(entry.subject_id or 0))
    return text(
        "moderation.audit_line",
        when=f"{entry.created_at:%Y-%m-%d %H:%M}",
        kind=entry.kind,
        actor=call.mention(actor) if actor else text("moderation.audit_system"),
        subject=text("moderation.audit_subject", who=call.mention(subject)) if subject else "",
        reason=text("moderation.audit_reason", reason=entry.reason) if entry.reason else "",
    )


async def audit_page(call: Call, subject: Member | None, kind: str | None, page: int) -> Reply:
    """Build one page of the audit log, newest first, optionally for one member or kind."""
    log = call.uow.get(AuditLog)
    subject_id = subject.id if subject else None
    total = await log.count(call.community.id, subject_id=subject_id, kind=kind)
    pages = max(math.ceil(total / PAGE), 1)
    if page > pages:
        raise InvalidInputError(problem=text("moderation.audit_page", page=page, pages=pages))
    entries = await log.page(
        call.community.id, subject_id=subject_id, kind=kind, limit=PAGE, offset=(page - 1) * PAGE
    )
    identity = call.uow.get(IdentityRepository)
    names: dict[int, Member] = {}
    for member_id in {m for e in entries for m in (e.actor_id, e.subject_id) if m}:
        found = await identity.get_member(MemberId(member_id))
        if found is not None:
            names[int(member_id)] = found
    lines = [await _line(call, e, names) for e in entries] or [text("moderation.audit_empty")]
    buttons: tuple[Button, ...] = ()
    if page < pages:
        who = subject.id if subject else 0
        buttons = (
            Button(text("moderation.audit_older"), f"audit.page:{who}:{kind or ''}:{page + 1}"),
        )
    return Reply(
        title=text("moderation.audit_title"),
        text="\n".join(lines),
        footer=text(
            "moderation.audit_footer", page=page, pages=pages, entries=count("count.entries", total)
        ),
        buttons=buttons,
    )


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """Options of /admin audit."""

    member: Member | None
    kind: str | None
    page: int


async def audit(call: Call, o: AuditOptions) -> Reply:
    """`/admin audit [member] [kind] [page]`: newest first; a kind may end in "." (`points.`)."""
    return await audit_page(call, o.member, o.kind, o.page)


async def audit_button(call: Call) -> Reply:
    """Show the next page of /admin audit from its Older button (`audit.page:who:kind:page`).

    `who` is 0 when the log was not filtered by member.
    """
    who, kind, page_word = (*call.args, "", "", "")[:3]
    page = parse_id(page_word)
    subject_id = None if who == "0" else parse_id(who)
    if page is None or (who != "0" and subject_id is None):
        raise InvalidInputError(problem=text("moderation.audit_stale"))
    subject = None
    if subject_id is not None:
        subject = await call.uow.get(IdentityRepository).get_member(MemberId(subject_id))
        if subject is None or subject.community_id != call.community.id:
            subject = None
    return await audit_page(call, subject, kind or None, page)
