"""Handlers of /session, /sessions and the mentor's and mentee's DM buttons.

Every button runs the same function as its typed command (Accept is
`/session accept`, a star is `/session rate`), so each works on Discord,
Slack and the console alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from cogs.kit import Button, Call, Reply, Tone
from cogs.kit.messages import text
from cogs.mentoring import cards
from cogs.mentoring.commands import member_of, member_tz, mentions, service
from cogs.mentoring.jobs import cancel_reminders, schedule_reminders
from domain.core.errors import InvalidInputError, UserFacingError
from domain.core.ids import parse_ids, parse_ref
from domain.identity import Member
from domain.mentoring import Session
from domain.mentoring.errors import SessionNotFoundError

_FURTHEST = timedelta(days=366)  # the furthest ahead a session may be booked
_WHEN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$")


class BadWhenError(UserFacingError):
    """A session time that is not "YYYY-MM-DD HH:MM" in the future."""

    code = "mentoring.bad_when"


def session_id(raw: str) -> int:
    """Read a session number ("12" or "#12") with the shared id parser.

    Raises:
        SessionNotFoundError: it cannot name a session (no row has such a number).
    """
    found = parse_ref(raw)
    if found is None:
        raise SessionNotFoundError(id=raw.strip()[:20])
    return found


def parse_when(call: Call, raw: str | None) -> datetime | None:
    """Read "2026-12-01 18:00" in the caller's zone, in the future. Raises: BadWhenError."""
    return read_when(raw, member_tz(call), call.now)


def read_when(raw: str | None, tz: str, now: datetime) -> datetime | None:
    """Read "YYYY-MM-DD HH:MM" in zone `tz`, after `now` and within a year; None if not given.

    Raises:
        BadWhenError: not that shape, not a real date or time, past, or over a year away.
    """
    if not raw:
        return None
    m = _WHEN.match(raw.strip())
    if m is None:
        raise BadWhenError(text=raw[:40])
    try:
        y, mo, d, h, mi = (int(g) for g in m.groups())
        at = datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz))
        # Within a year: further is no plan, and year 9999 overflows in other zones.
        in_range = now < at <= now + _FURTHEST
    except (ValueError, OverflowError):
        raise BadWhenError(text=raw[:40]) from None
    if not in_range:
        raise BadWhenError(text=raw[:40])
    return at


def _button_id(call: Call) -> int:
    """The session number a DM card's button carries. Raises: InvalidInputError."""
    ids = parse_ids(call.args, 1)
    if ids is None:
        raise InvalidInputError(problem=text("mentoring.button_out_of_date"))
    return ids[0]


# -- requests -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Options of /mentor request (session types come from config, hence `str`)."""

    member: Member
    type: str
    message: str
    when: str | None


async def request(call: Call, o: RequestOptions) -> Reply:
    """/mentor request <member> <type> <message> [--when]: DM the mentor a card."""
    starts_at = parse_when(call, o.when)
    session = await service(call).request(
        call.uow, call.member, o.member, o.type, o.message, starts_at
    )
    call.uow.announce(
        cards.request_dm(session, f"**{call.member.display_name}**", member_tz(call, o.member))
    )
    return Reply(
        text=text("mentoring.request.sent", id=session.id, mentor=call.mention(o.member)),
        tone=Tone.SUCCESS,
    )


@dataclass(frozen=True, slots=True)
class AcceptOptions:
    """Options of /session accept: `when` proposes another time."""

    id: str
    when: str | None


async def accept_command(call: Call, o: AcceptOptions) -> Reply:
    """/session accept <id> [--when]: accept, at the asked time or another."""
    return await accept(call, session_id(o.id), parse_when(call, o.when))


async def accept_button(call: Call) -> Reply:
    """The Accept button of the mentor's DM card: `/session accept <id>`."""
    return await accept(call, _button_id(call), None)


async def accept(call: Call, sid: int, starts_at: datetime | None) -> Reply:
    """Accept session `sid`; with another time, both members get a confirmation."""
    session = await service(call).accept(call.uow, call.member, sid, starts_at)
    await schedule_reminders(call.uow, call.ctx, session, call.now)
    mentee = await member_of(call, session.mentee_id)
    if starts_at is not None and session.starts_at is not None:
        return _confirm_new_time(call, session, mentee)
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


def _confirm_new_time(call: Call, session: Session, mentee: Member) -> Reply:
    """The end of "Propose another time": each side is told the time on their own clock."""
    mentee_words = text(
        "mentoring.proposed.mentee",
        mentor=f"**{call.member.display_name}**",
        id=session.id,
        type=session.type,
        when=cards.local_time(session.starts_at, member_tz(call, mentee)),
    )
    mentor_words = text(
        "mentoring.proposed.mentor",
        mentee=f"**{mentee.display_name}**",
        id=session.id,
        type=session.type,
        when=cards.local_time(session.starts_at, member_tz(call)),
    )
    for member_id, what, words in (
        (session.mentee_id, "accepted", mentee_words),
        (session.mentor_id, "confirmed", mentor_words),
    ):
        call.uow.announce(cards.dm(session, member_id, what, Reply(words, tone=Tone.SUCCESS)))
    return Reply(text=mentor_words, tone=Tone.SUCCESS)


async def propose_button(call: Call) -> Reply:
    """The "Propose another time" button: how to accept at another time (`/session accept`)."""
    session = await service(call).get(call.uow, call.community.id, _button_id(call))
    mentee = await member_of(call, session.mentee_id)
    return Reply(text=text("mentoring.propose.hint", id=session.id, mentee=call.mention(mentee)))


@dataclass(frozen=True, slots=True)
class ReasonOptions:
    """Options of /session decline and /session cancel."""

    id: str
    reason: str | None


async def decline_command(call: Call, o: ReasonOptions) -> Reply:
    """/session decline <id> [reason]."""
    return await decline(call, session_id(o.id), o.reason)


async def decline_button(call: Call) -> Reply:
    """The Decline button of the mentor's DM card: `/session decline <id>`."""
    return await decline(call, _button_id(call), None)


async def decline(call: Call, sid: int, reason: str | None) -> Reply:
    """Decline session `sid`; the mentee is told (with the reason, if any)."""
    session = await service(call).decline(call.uow, call.member, sid, reason)
    words = text(
        "mentoring.declined",
        mentor=f"**{call.member.display_name}**",
        id=session.id,
        reason=f" ({reason})" if reason else "",
    )
    call.uow.announce(cards.dm(session, session.mentee_id, "declined", Reply(text=words)))
    return Reply(text=words)


# -- after the request ---------------------------------------------------------------------


async def cancel(call: Call, o: ReasonOptions) -> Reply:
    """/session cancel <id> [reason]: either side; the other is told."""
    session = await service(call).cancel(call.uow, call.member, session_id(o.id), o.reason)
    await cancel_reminders(call.uow, call.ctx, session)
    words = text(
        "mentoring.cancelled",
        id=session.id,
        who=f"**{call.member.display_name}**",
        reason=f" ({o.reason})" if o.reason else "",
    )
    call.uow.announce(
        cards.dm(session, _other(session, call.member), "cancelled", Reply(text=words))
    )
    return Reply(text=words)


@dataclass(frozen=True, slots=True)
class IdOptions:
    """Options of /session complete and /session noshow."""

    id: str


async def complete(call: Call, o: IdOptions) -> Reply:
    """/session complete <id>: the mentee is asked for a rating."""
    session = await service(call).complete(call.uow, call.member, session_id(o.id))
    await cancel_reminders(call.uow, call.ctx, session)
    mentor = await member_of(call, session.mentor_id)
    call.uow.announce(cards.rating_dm(session, f"**{mentor.display_name}**"))
    return Reply(text=text("mentoring.completed", id=session.id), tone=Tone.SUCCESS)


async def no_show(call: Call, o: IdOptions) -> Reply:
    """/session noshow <id>."""
    session = await service(call).no_show(call.uow, call.member, session_id(o.id))
    await cancel_reminders(call.uow, call.ctx, session)
    return Reply(text=text("mentoring.noshow", id=session.id))


# -- ratings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RateOptions:
    """Options of /session rate."""

    id: str
    stars: int
    comment: str | None


async def rate_command(call: Call, o: RateOptions) -> Reply:
    """/session rate <id> <1-5> [comment]."""
    return await rate(call, session_id(o.id), o.stars, o.comment)


async def rate_button(call: Call) -> Reply:
    """A star button of the rating DM: `/session rate <id> <stars>`."""
    found = parse_ids(call.args, 2)
    if found is None or not 1 <= found[1] <= 5:
        raise InvalidInputError(problem=text("mentoring.button_out_of_date"))
    return await rate(call, found[0], found[1], None)


async def rate(call: Call, sid: int, stars: int, comment: str | None) -> Reply:
    """Rate session `sid`; without a comment, say how to add one (a comment box)."""
    session, earned = await service(call).rate(call.uow, call.member, sid, stars, comment)
    words = text("mentoring.rated", id=session.id, stars=stars)
    if earned:
        mentor = await member_of(call, session.mentor_id)
        words += text("mentoring.rated.reward", mentor=call.mention(mentor), points=earned)
    if comment:
        return Reply(text=words, tone=Tone.SUCCESS)
    # Discord opens the comment box from the button; elsewhere it says how to type it.
    add = Button(text("mentoring.button.comment"), f"mentoring.comment:{session.id}")
    return Reply(
        text=words,
        tone=Tone.SUCCESS,
        buttons=(add,),
        footer=text("mentoring.rated.comment_hint", id=session.id),
    )


async def comment_button(call: Call) -> Reply:
    """The "Add a comment" button where no form opens (console, Slack): how to type it."""
    return Reply(text=text("mentoring.rated.comment_hint", id=_button_id(call)))


@dataclass(frozen=True, slots=True)
class CommentOptions:
    """Options of /session comment: left out on Discord or Slack, a comment box opens."""

    id: str
    comment: str


async def comment(call: Call, o: CommentOptions) -> Reply:
    """/session comment <id> <comment>: the mentee's words on a session they rated."""
    session = await service(call).comment(call.uow, call.member, session_id(o.id), o.comment)
    return Reply(text=text("mentoring.commented", id=session.id), tone=Tone.SUCCESS)


# -- listing -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionsOptions:
    """Options of /sessions."""

    which: Literal["upcoming", "past"] | None


async def sessions(call: Call, o: SessionsOptions) -> Reply:
    """/sessions [upcoming|past]."""
    which = o.which or "upcoming"
    found = await service(call).sessions(call.uow, call.member, upcoming=which == "upcoming")
    if not found:
        return Reply(text=text("mentoring.no_sessions", which=which))
    mention = await mentions(
        call, {int(s.mentor_id) for s in found} | {int(s.mentee_id) for s in found}
    )
    tz = member_tz(call)
    return Reply(
        title=text("mentoring.sessions.title", which=which),
        text="\n".join(cards.session_line(s, mention, tz) for s in found),
    )


def _other(session: Session, member: Member) -> int:
    return int(session.mentee_id if member.id == session.mentor_id else session.mentor_id)
