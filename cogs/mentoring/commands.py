"""Handlers of /mentor, /mentors and /admin mentor, with their typed options.

Session handlers (/session, /sessions and the DM card's buttons) are in
`cogs.mentoring.sessions`; the helpers both share live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogs.kit import Call, Reply, Tone
from cogs.kit.messages import text
from cogs.mentoring import cards
from domain.core.ids import MemberId
from domain.identity import IdentityRepository, Member
from domain.mentoring import MentoringRepository, MentoringService, ProfileChanges, SessionStatus
from domain.mentoring.rules import parse_topics


def service(call: Call) -> MentoringService:
    """The mentoring service the feature provided at setup."""
    return call.ctx.need(MentoringService)


def member_tz(call: Call, member: Member | None = None) -> str:
    """A member's zone, else the community's (the caller by default)."""
    return (member or call.member).timezone or call.community.timezone


async def mentions(call: Call, ids: set[int]) -> cards.Mention:
    """A mention for each member id, collected once (unknown ids read "someone")."""
    repo = call.uow.get(IdentityRepository)
    known: dict[int, str] = {}
    for member_id in ids:
        member = await repo.get_member(MemberId(member_id))
        if member is not None:
            known[member_id] = call.mention(member)
    someone = text("mentoring.someone")
    return lambda member_id: known.get(member_id, someone)


async def member_of(call: Call, member_id: int) -> Member:
    """A session's member (sessions reference members by a foreign key, so it exists)."""
    member = await call.uow.get(IdentityRepository).get_member(MemberId(member_id))
    assert member is not None
    return member


# -- profiles ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileSetOptions:
    """Options of /mentor profile set: only the given ones change."""

    topics: str | None
    bio: str | None
    capacity: int | None
    availability: str | None
    session_types: str | None
    paused: Literal["yes", "no"] | None


async def profile_set(call: Call, o: ProfileSetOptions) -> Reply:
    """/mentor profile set: create or change the caller's mentor profile."""
    changes = ProfileChanges(
        topics=parse_topics(o.topics) if o.topics is not None else None,
        bio=o.bio,
        capacity=o.capacity,
        availability=o.availability,
        session_types=parse_topics(o.session_types) if o.session_types else None,
        paused=None if o.paused is None else o.paused == "yes",
    )
    profile = await service(call).set_profile(call.uow, call.member, changes)
    reply = cards.profile_card(profile, call.mention(call.member))
    if not profile.approved:
        reply = reply.with_(footer=text("mentoring.not_approved"))
    return reply.with_(tone=Tone.SUCCESS)


@dataclass(frozen=True, slots=True)
class ProfileShowOptions:
    """Options of /mentor profile show."""

    member: Member | None


async def profile_show(call: Call, o: ProfileShowOptions) -> Reply:
    """/mentor profile show [member]."""
    member = o.member or call.member
    profile = await service(call).profile(call.uow, member)
    return cards.profile_card(profile, call.mention(member))


# -- finding ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentorsOptions:
    """Options of /mentors."""

    topic: str | None
    page: int | None


async def mentors(call: Call, o: MentorsOptions) -> Reply:
    """/mentors [topic] [page]: every eligible mentor, best first, a page at a time."""
    topic = o.topic or ""
    page = o.page or 1
    size = service(call).section.page_size
    found = await service(call).match(call.uow, call.member, topic)
    shown = found[(page - 1) * size : page * size]
    if not shown:
        return Reply(text=text("mentoring.none", topic=f" “{topic}”" if topic else ""))
    mention = await mentions(call, {int(m.profile.member_id) for m in shown})
    pages = (len(found) + size - 1) // size
    footer = text("mentoring.list.footer", page=page, pages=pages)
    title = (
        text("mentoring.list.title_topic", topic=topic) if topic else text("mentoring.list.title")
    )
    return cards.matches_card(title, shown, mention, footer)


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Options of /mentor match (session types come from config, hence `str`)."""

    topic: str
    type: str | None


async def match(call: Call, o: MatchOptions) -> Reply:
    """/mentor match <topic> [--type T]: the best three, with the reason for each."""
    found = (await service(call).match(call.uow, call.member, o.topic, o.type))[:3]
    if not found:
        return Reply(text=text("mentoring.none", topic=f" “{o.topic}”"))
    mention = await mentions(call, {int(m.profile.member_id) for m in found})
    return cards.matches_card(
        text("mentoring.match.title", topic=o.topic),
        found,
        mention,
        text("mentoring.match.footer"),
    )


# -- moderators ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberOptions:
    """Options of /admin mentor approve|remove."""

    member: Member


async def admin_approve(call: Call, o: MemberOptions) -> Reply:
    """/admin mentor approve <member>."""
    await service(call).approve(call.uow, o.member, True)
    return Reply(text=text("mentoring.approved", member=call.mention(o.member)), tone=Tone.SUCCESS)


async def admin_remove(call: Call, o: MemberOptions) -> Reply:
    """/admin mentor remove <member>: hidden from the directory and requests."""
    await service(call).approve(call.uow, o.member, False)
    return Reply(text=text("mentoring.removed", member=call.mention(o.member)))


async def admin_report(call: Call) -> Reply:
    """/admin mentor report: low ratings and no-shows, newest first."""
    repo = call.uow.get(MentoringRepository)
    low = await repo.low_ratings(call.community.id, service(call).section.low_rating, 10)
    shows = await repo.with_status(call.community.id, SessionStatus.NO_SHOW, 10)
    ids = {int(s.mentor_id) for s, _, _ in low} | {int(s.mentee_id) for s, _, _ in low}
    ids |= {int(s.mentor_id) for s in shows} | {int(s.mentee_id) for s in shows}
    mention = await mentions(call, ids)
    low_lines = [
        f"**#{s.id}** {mention(int(s.mentor_id))} {n}★" + (f": “{c}”" if c else "")
        for s, n, c in low
    ]
    show_lines = [cards.session_line(s, mention, call.community.timezone) for s in shows]
    none = text("mentoring.report.none")
    return Reply(
        title=text("mentoring.report.title"),
        text=text(
            "mentoring.report.body",
            low="\n".join(low_lines) or none,
            shows="\n".join(show_lines) or none,
        ),
    )
