"""Reply builders for mentoring: profiles, matches, session cards and DMs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from cogs.kit import Button, ButtonStyle, Field, Reply, Tone
from cogs.kit.messages import text
from domain.core.announcements import Announcement, Target
from domain.core.ids import MemberId
from domain.mentoring import Match, MentorProfile, Session

Mention = Callable[[int], str]
"""Turn a member id into a mention token (the handler collects the mention)."""


def local_time(at: datetime | None, tz: str) -> str:
    """`Tue 1 Dec 18:00 (Europe/Berlin)`: a session time as the reader's clock shows it."""
    if at is None:
        return ""
    local = at.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b %H:%M} ({tz})"


def stars(profile: MentorProfile) -> str:
    """Show the rating as "4.8★ from 12", or "no ratings yet"."""
    avg = profile.average_rating
    if avg is None:
        return text("mentoring.profile.no_ratings")
    return text("mentoring.profile.stars", average=f"{avg:.1f}", count=profile.rating_count)


def profile_card(profile: MentorProfile, mention: str) -> Reply:
    """`/mentor profile show`: topics, bio, rating, sessions completed, open slots."""
    state = (
        "mentoring.profile.paused"
        if profile.paused
        else ("mentoring.profile.open" if profile.approved else "mentoring.profile.awaiting")
    )
    slots = text(
        "mentoring.profile.slots_value", free=profile.free_slots, capacity=profile.capacity
    )
    fields = [
        Field(text("mentoring.profile.topics"), ", ".join(profile.topics) or "—"),
        Field(text("mentoring.profile.rating"), stars(profile)),
        Field(text("mentoring.profile.completed"), str(profile.completed)),
        Field(text("mentoring.profile.slots"), slots),
        Field(text("mentoring.profile.availability"), profile.availability or "—"),
        Field(text("mentoring.profile.types"), ", ".join(profile.session_types)),
        Field(text("mentoring.profile.status"), text(state)),
    ]
    return Reply(
        title=text("mentoring.profile.title", name=profile.display_name),
        text=f"{mention}\n{profile.bio}" if profile.bio else mention,
        fields=tuple(fields),
    )


def matches_card(title: str, matches: Sequence[Match], mention: Mention, footer: str) -> Reply:
    """The best mentors, each with the reasons they were suggested."""
    lines = [
        f"**{i}.** {mention(int(m.profile.member_id))} — " + "; ".join(m.reasons)
        for i, m in enumerate(matches, 1)
    ]
    return Reply(title=title, text="\n".join(lines), footer=footer)


def session_line(session: Session, mention: Mention, tz: str) -> str:
    """One line of `/sessions`: number, status, type, who, when, rating."""
    when = f" · {local_time(session.starts_at, tz)}" if session.starts_at else ""
    rating = f" · {session.rating}★" if session.rating else ""
    return (
        f"**#{session.id}** {text(f'mentoring.status.{session.status.value}')} · {session.type}"
        f" · {mention(int(session.mentor_id))} → {mention(int(session.mentee_id))}{when}{rating}"
    )


def request_dm(session: Session, mentee: str, mentor_tz: str) -> Announcement:
    """The mentor's card: Accept / Propose another time / Decline."""
    when = f" at {local_time(session.starts_at, mentor_tz)}" if session.starts_at else ""
    reply = Reply(
        title=text("mentoring.request.title", id=session.id),
        text=text(
            "mentoring.request.card",
            mentee=mentee,
            type=session.type,
            when=when,
            message=session.message,
        ),
        buttons=(
            Button(
                text("mentoring.button.accept"),
                f"mentoring.accept:{session.id}",
                ButtonStyle.SUCCESS,
            ),
            Button(text("mentoring.button.propose"), f"mentoring.propose:{session.id}"),
            Button(
                text("mentoring.button.decline"),
                f"mentoring.decline:{session.id}",
                ButtonStyle.DANGER,
            ),
        ),
        footer=text("mentoring.request.footer", id=session.id),
    )
    return dm(session, session.mentor_id, "request", reply)


def rating_dm(session: Session, mentor: str) -> Announcement:
    """After completion: the mentee rates with buttons 1–5 (or `/session rate`)."""
    reply = Reply(
        text=text("mentoring.rate.ask", type=session.type, id=session.id, mentor=mentor),
        buttons=tuple(
            Button("★" * n, f"mentoring.rate:{session.id}:{n}", ButtonStyle.PRIMARY)
            for n in range(1, 6)
        ),
    )
    return dm(session, session.mentee_id, "rate", reply)


def dm(session: Session, member_id: int, what: str, reply: Reply) -> Announcement:
    """A DM about `session`, sent once per (session, what, member)."""
    return Announcement(
        community_id=session.community_id,
        kind="mentoring",
        dedupe_key=f"mentoring:{session.id}:{what}:{member_id}",
        payload=reply.to_dict(),
        target=Target.DM,
        member_id=MemberId(member_id),
    )


def notice(body: str, tone: Tone = Tone.INFO) -> Reply:
    """A plain reply."""
    return Reply(text=body, tone=tone)
