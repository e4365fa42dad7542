"""/mentor, /mentors, /session, /sessions and /admin mentor: human mentoring."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from cogs.kit import (
    Action,
    Call,
    Cog,
    CogContext,
    Command,
    Every,
    Job,
    Page,
    Permission,
    Registry,
    Reply,
)
from cogs.kit import options as opt
from cogs.kit.command import Handler
from cogs.kit.messages import register
from cogs.mentoring import commands as c
from cogs.mentoring import messages as _messages
from cogs.mentoring.jobs import reminder_job
from domain.core.contracts import MentorDirectory, PerksReader, TierReader
from domain.core.errors import InvalidInputError
from domain.mentoring import MentoringService
from domain.mentoring.directory import ServiceDirectory

register(_messages.MESSAGES)


def setup(registry: Registry, ctx: CogContext) -> None:
    """Provide the mentoring service and directory; register commands, buttons, the reminder job."""
    section = ctx.config.mentoring
    service = MentoringService(
        ctx.clock,
        section,
        ctx.points,
        ctx.config.community.timezone,
        ctx.maybe(TierReader),
        perks=lambda: ctx.maybe(PerksReader),
    )
    ctx.provide(MentoringService, service)
    ctx.provide(MentorDirectory, ServiceDirectory(service))
    types = section.session_types
    registry.add(
        Cog(
            "mentoring",
            commands=_commands(types),
            actions=[
                Action("mentoring.accept", _button(lambda call, sid: c.accept(call, sid))),
                Action("mentoring.decline", _button(lambda call, sid: c.decline(call, sid))),
                Action("mentoring.propose", _button(c.propose), writes=False),
                Action("mentoring.rate", _rate_button),
            ],
            pages=[
                Page(
                    "mentoring",
                    "Mentoring",
                    shows=("mentors", "admin mentor report"),
                    forms=("admin mentor approve", "admin mentor remove"),
                    order=64,
                )
            ],
            jobs=[
                Job(
                    "mentoring.reminders",
                    Every(timedelta(minutes=1)),
                    reminder_job(ctx),
                    grace=None,
                    description="DM both sides before a mentoring session",
                ),
            ],
        )
    )


def _button(handler: Callable[[Call, int], Awaitable[Reply]]) -> Handler:
    async def run(call: Call) -> Reply:
        if not call.args or not (call.args[0].isascii() and call.args[0].isdigit()):
            raise InvalidInputError(problem="that button is out of date")
        return await handler(call, int(call.args[0]))

    return run


async def _rate_button(call: Call) -> Reply:
    if len(call.args) != 2 or not all((a.isascii() and a.isdigit()) for a in call.args):
        raise InvalidInputError(problem="that button is out of date")
    return await c.rate(call, int(call.args[0]), int(call.args[1]))


def _commands(types: tuple[str, ...]) -> list[Command]:
    sid = opt.integer("id", "The session number", min_value=1)
    mod = Permission.MODERATOR
    return [
        Command(
            "mentor profile set",
            "Create or change your mentor profile",
            c.profile_set,
            (
                opt.string("topics", "Topics, comma-separated", required=False, max_length=300),
                opt.string("bio", "A few words about you", required=False, max_length=500),
                opt.integer(
                    "capacity", "Sessions at once", required=False, min_value=1, max_value=200
                ),
                opt.string(
                    "availability",
                    "e.g. Mon-Fri 18:00-20:00 (your time zone)",
                    required=False,
                    max_length=200,
                ),
                opt.string(
                    "session_types",
                    "Types you offer, comma-separated",
                    required=False,
                    max_length=300,
                ),
                opt.choice("paused", "Pause new requests", ("yes", "no"), required=False),
            ),
            examples=('/mentor profile set --topics "python, interviews" --capacity 3',),
        ),
        Command(
            "mentor profile show",
            "Show a mentor's profile",
            c.profile_show,
            (opt.member("member", "Whose profile (default: yours)", required=False),),
            writes=False,
        ),
        Command(
            "mentors",
            "List mentors, best first",
            c.mentors,
            (
                opt.string("topic", "A topic", required=False, max_length=40),
                opt.integer("page", "Page", required=False, min_value=1, max_value=100),
            ),
            writes=False,
        ),
        Command(
            "mentor match",
            "The best three mentors for a topic",
            c.match,
            (
                opt.string("topic", "What you need help with", max_length=40),
                opt.choice("type", "Session type", types, required=False),
            ),
            writes=False,
        ),
        Command(
            "mentor request",
            "Ask a mentor for a session",
            c.request,
            (
                opt.member("member", "The mentor"),
                opt.choice("type", "Session type", types),
                opt.string("message", "What you'd like help with", rest=True, max_length=1000),
                opt.string("when", "YYYY-MM-DD HH:MM in your time zone", required=False),
            ),
        ),
        Command(
            "session accept",
            "Accept a session request",
            c.accept,
            (
                sid,
                opt.string("when", "Another time: YYYY-MM-DD HH:MM", required=False),
            ),
        ),
        Command(
            "session decline",
            "Decline a session request",
            c.decline,
            (
                sid,
                opt.string("reason", "Why (optional)", required=False, rest=True, max_length=300),
            ),
        ),
        Command(
            "session cancel",
            "Cancel a session",
            c.cancel,
            (
                sid,
                opt.string("reason", "Why (optional)", required=False, rest=True, max_length=300),
            ),
        ),
        Command("session complete", "Mark a session as done", c.complete, (sid,)),
        Command("session noshow", "Record that the other side did not come", c.no_show, (sid,)),
        Command(
            "session rate",
            "Rate a completed session",
            c.rate,
            (
                sid,
                opt.integer("stars", "1 to 5", min_value=1, max_value=5),
                opt.string(
                    "comment", "Optional comment", required=False, rest=True, max_length=1000
                ),
            ),
        ),
        Command(
            "sessions",
            "Your mentoring sessions",
            c.sessions,
            (opt.choice("which", "Which", ("upcoming", "past"), required=False),),
            writes=False,
        ),
        Command(
            "admin mentor approve",
            "Approve a mentor",
            c.admin_approve,
            (opt.member("member", "The mentor"),),
            permission=mod,
        ),
        Command(
            "admin mentor remove",
            "Remove a mentor from the directory",
            c.admin_remove,
            (opt.member("member", "The mentor"),),
            permission=mod,
        ),
        Command(
            "admin mentor report",
            "Low ratings and no-shows",
            c.admin_report,
            permission=mod,
            writes=False,
        ),
    ]
