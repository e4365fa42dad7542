"""Handlers of /mentor, /mentors, /session, /sessions and /admin mentor (module-level)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.kit import Call, Reply, Tone
from cogs.kit.messages import text
from cogs.mentoring import cards
from cogs.mentoring.jobs import cancel_reminders, schedule_reminders
from domain.core.errors import UserFacingError
from domain.core.ids import MemberId
from domain.identity import IdentityRepository, Member
from domain.mentoring import MentoringService, ProfileChanges, Session, SessionStatus
from domain.mentoring.rules import parse_topics

_WHEN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")


class BadWhenError(UserFacingError):
    """A session time that is not "YYYY-MM-DD HH:MM" in the future."""

    code = "mentoring.bad_when"


class BadStarsError(UserFacingError):
    """A rating outside 1 to 5."""

    code = "mentoring.bad_stars"


def service(call: Call) -> MentoringService:
    """The mentoring service the feature provided at setup."""
    return call.ctx.need(MentoringService)


def member_tz(call: Call, member: Member | None = None) -> str:
    """A member's zone, else the community's (the caller by default)."""
    return (member or call.member).timezone or call.community.timezone


def parse_when(call: Call, raw: str | None) -> datetime | None:
    """Read "2026-12-01 18:00" in the caller's zone, in the future. Raises: BadWhenError."""
    if not raw:
        return None
    m = _WHEN.match(raw.strip())
    if m is None:
        raise BadWhenError(text=raw)
    try:
        y, mo, d, h, mi = (int(g) for g in m.groups())
        at = datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(member_tz(call)))
    except ValueError:
        raise BadWhenError(text=raw) from None
    if at <= call.now:
        raise BadWhenError(text=raw)
    return at


async def _mentions(call: Call, ids: set[int]) -> cards.Mention:
    repo = call.uow.get(IdentityRepository)
    known: dict[int, str] = {}
    for member_id in ids:
        member = await repo.get_member(MemberId(member_id))
        if member is not None:
            known[member_id] = call.mention(member)
    return lambda member_id: known.get(member_id, "someone")


async def _member(call: Call, member_id: int) -> Member:
    member = await call.uow.get(IdentityRepository).get_member(MemberId(member_id))
    assert member is not None
    return member


# -- profiles ---------------------------------------------------------------------------


async def profile_set(call: Call) -> Reply:
    """/mentor profile set: create or change the caller's mentor profile."""
    o = call.options
    paused = None if o["paused"] is None else o["paused"] == "yes"
    types = parse_topics(o["session_types"]) if o["session_types"] else None
    changes = ProfileChanges(
        topics=parse_topics(o["topics"]) if o["topics"] is not None else None,
        bio=o["bio"],
        capacity=o["capacity"],
        availability=o["availability"],
        session_types=types,
        paused=paused,
    )
    profile = await service(call).set_profile(call.uow, call.member, changes)
    reply = cards.profile_card(profile, call.mention(call.member))
    if not profile.approved:
        reply = reply.with_(footer=text("mentoring.not_approved"))
    return reply.with_(tone=Tone.SUCCESS)


async def profile_show(call: Call) -> Reply:
    """/mentor profile show [member]."""
    member = call.options["member"] or call.member
    profile = await service(call).profile(call.uow, member)
    return cards.profile_card(profile, call.mention(member))


# -- finding ----------------------------------------------------------------------------


async def mentors(call: Call) -> Reply:
    """/mentors [topic] [page]: every eligible mentor, best first, a page at a time."""
    topic = call.options["topic"] or ""
    page = call.options["page"] or 1
    size = service(call).section.page_size
    found = await service(call).match(call.uow, call.member, topic)
    shown = found[(page - 1) * size : page * size]
    if not shown:
        return Reply(text=text("mentoring.none", topic=f" “{topic}”" if topic else ""))
    mention = await _mentions(call, {int(m.profile.member_id) for m in shown})
    pages = (len(found) + size - 1) // size
    footer = f"Page {page} of {pages} · /mentor request <member> <type> <message>"
    title = f"🧭 Mentors{' for ' + topic if topic else ''}"
    return cards.matches_card(title, shown, mention, footer)


async def match(call: Call) -> Reply:
    """/mentor match <topic> [--type T]: the best three, with the reason for each."""
    topic = call.options["topic"]
    found = (await service(call).match(call.uow, call.member, topic, call.options["type"]))[:3]
    if not found:
        return Reply(text=text("mentoring.none", topic=f" “{topic}”"))
    mention = await _mentions(call, {int(m.profile.member_id) for m in found})
    return cards.matches_card(
        f"🧭 Best matches for {topic}", found, mention, "/mentor request <member> <type> <message>"
    )


# -- sessions -----------------------------------------------------------------------------


async def request(call: Call) -> Reply:
    """/mentor request <member> <type> <message> [--when]: DM the mentor a card."""
    mentor: Member = call.options["member"]
    starts_at = parse_when(call, call.options["when"])
    session = await service(call).request(
        call.uow, call.member, mentor, call.options["type"], call.options["message"], starts_at
    )
    call.uow.announce(
        cards.request_dm(session, f"**{call.member.display_name}**", member_tz(call, mentor))
    )
    return Reply(
        text=text("mentoring.request.sent", id=session.id, mentor=call.mention(mentor)),
        tone=Tone.SUCCESS,
    )


async def accept(call: Call, session_id: int | None = None) -> Reply:
    """/session accept <id> [--when] (and the Accept button)."""
    sid = session_id if session_id is not None else call.options["id"]
    starts_at = parse_when(call, call.options.get("when"))
    session = await service(call).accept(call.uow, call.member, sid, starts_at)
    await schedule_reminders(call.uow, call.ctx, session, call.now)
    mentee = await _member(call, session.mentee_id)
    when = (
        f" for {cards.local_time(session.starts_at, member_tz(call, mentee))}"
        if session.starts_at
        else ""
    )
    words = text(
        "mentoring.accepted",
        mentor=f"**{call.member.display_name}**",
        id=session.id,
        type=session.type,
        when=when,
    )
    call.uow.announce(
        cards.dm(session, session.mentee_id, "accepted", Reply(text=words, tone=Tone.SUCCESS))
    )
    return Reply(text=words, tone=Tone.SUCCESS)


async def propose(call: Call, session_id: int) -> Reply:
    """The "Propose another time" button: how to accept at another time."""
    session = await service(call).get(call.uow, call.community.id, session_id)
    mentee = await _member(call, session.mentee_id)
    return Reply(text=text("mentoring.propose.hint", id=session.id, mentee=call.mention(mentee)))


async def decline(call: Call, session_id: int | None = None) -> Reply:
    """/session decline <id> [reason] (and the Decline button)."""
    sid = session_id if session_id is not None else call.options["id"]
    reason = call.options.get("reason")
    session = await service(call).decline(call.uow, call.member, sid, reason)
    words = text(
        "mentoring.declined",
        mentor=f"**{call.member.display_name}**",
        id=session.id,
        reason=f" ({reason})" if reason else "",
    )
    call.uow.announce(cards.dm(session, session.mentee_id, "declined", Reply(text=words)))
    return Reply(text=words)


async def cancel(call: Call) -> Reply:
    """/session cancel <id> [reason]: either side; the other is told."""
    reason = call.options["reason"]
    session = await service(call).cancel(call.uow, call.member, call.options["id"], reason)
    await cancel_reminders(call.uow, call.ctx, session)
    words = text(
        "mentoring.cancelled",
        id=session.id,
        who=f"**{call.member.display_name}**",
        reason=f" ({reason})" if reason else "",
    )
    call.uow.announce(
        cards.dm(session, _other(session, call.member), "cancelled", Reply(text=words))
    )
    return Reply(text=words)


async def complete(call: Call) -> Reply:
    """/session complete <id>: the mentee is asked for a rating."""
    session = await service(call).complete(call.uow, call.member, call.options["id"])
    await cancel_reminders(call.uow, call.ctx, session)
    mentor = await _member(call, session.mentor_id)
    call.uow.announce(cards.rating_dm(session, f"**{mentor.display_name}**"))
    return Reply(text=text("mentoring.completed", id=session.id), tone=Tone.SUCCESS)


async def no_show(call: Call) -> Reply:
    """/session noshow <id>."""
    session = await service(call).no_show(call.uow, call.member, call.options["id"])
    await cancel_reminders(call.uow, call.ctx, session)
    return Reply(text=text("mentoring.noshow", id=session.id))


async def rate(call: Call, session_id: int | None = None, stars: int | None = None) -> Reply:
    """/session rate <id> <1-5> [comment] (and the rating buttons)."""
    sid = session_id if session_id is not None else call.options["id"]
    value = stars if stars is not None else call.options["stars"]
    if not 1 <= value <= 5:
        raise BadStarsError()
    session, earned = await service(call).rate(
        call.uow, call.member, sid, value, call.options.get("comment")
    )
    words = text("mentoring.rated", id=session.id, stars=value)
    if earned:
        mentor = await _member(call, session.mentor_id)
        words += text("mentoring.rated.reward", mentor=call.mention(mentor), points=earned)
    return Reply(text=words, tone=Tone.SUCCESS)


async def sessions(call: Call) -> Reply:
    """/sessions [upcoming|past]."""
    which = call.options["which"] or "upcoming"
    found = await service(call).sessions(call.uow, call.member, upcoming=which == "upcoming")
    if not found:
        return Reply(text=text("mentoring.no_sessions", which=which))
    mention = await _mentions(
        call, {int(s.mentor_id) for s in found} | {int(s.mentee_id) for s in found}
    )
    tz = member_tz(call)
    return Reply(
        title=f"🗓️ Your {which} sessions",
        text="\n".join(cards.session_line(s, mention, tz) for s in found),
    )


# -- moderators ----------------------------------------------------------------------------


async def admin_approve(call: Call) -> Reply:
    """/admin mentor approve <member>."""
    member: Member = call.options["member"]
    await service(call).approve(call.uow, member, True)
    return Reply(text=f"✅ {call.mention(member)} is an approved mentor.", tone=Tone.SUCCESS)


async def admin_remove(call: Call) -> Reply:
    """/admin mentor remove <member>: hidden from the directory and requests."""
    member: Member = call.options["member"]
    await service(call).approve(call.uow, member, False)
    return Reply(text=f"{call.mention(member)} no longer appears as a mentor.")


async def admin_report(call: Call) -> Reply:
    """/admin mentor report: low ratings and no-shows, newest first."""
    from domain.mentoring import MentoringRepository

    repo = call.uow.get(MentoringRepository)
    low = await repo.low_ratings(call.community.id, service(call).section.low_rating, 10)
    shows = await repo.with_status(call.community.id, SessionStatus.NO_SHOW, 10)
    ids = {int(s.mentor_id) for s, _, _ in low} | {int(s.mentee_id) for s, _, _ in low}
    ids |= {int(s.mentor_id) for s in shows} | {int(s.mentee_id) for s in shows}
    mention = await _mentions(call, ids)
    low_lines = [
        f"**#{s.id}** {mention(int(s.mentor_id))} {n}★" + (f": “{c}”" if c else "")
        for s, n, c in low
    ]
    show_lines = [cards.session_line(s, mention, call.community.timezone) for s in shows]
    return Reply(
        title="🧭 Mentoring report",
        text=f"**Low ratings**\n{chr(10).join(low_lines) or 'None.'}\n\n"
        f"**No-shows**\n{chr(10).join(show_lines) or 'None.'}",
    )


def _other(session: Session, member: Member) -> int:
    return int(session.mentee_id if member.id == session.mentor_id else session.mentor_id)
