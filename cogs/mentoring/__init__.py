"""/mentor, /mentors, /session, /sessions and /admin mentor: human mentoring."""

from __future__ import annotations

from datetime import timedelta

from cogs.kit import (
    Action,
    Cog,
    CogContext,
    Command,
    Every,
    Job,
    Page,
    Permission,
    Registry,
    typed,
)
from cogs.kit import options as opt
from cogs.kit.messages import register
from cogs.mentoring import commands as c
from cogs.mentoring import messages as _messages
from cogs.mentoring import sessions as s
from cogs.mentoring.jobs import reminder_job
from domain.core.contracts import MentorDirectory, PerksReader, TierReader
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
    registry.add(
        Cog(
            "mentoring",
            commands=_commands(section.session_types),
            actions=[
                Action("mentoring.accept", s.accept_button),
                Action("mentoring.decline", s.decline_button),
                Action("mentoring.propose", s.propose_button, writes=False),
                Action("mentoring.rate", s.rate_button),
                Action(
                    "mentoring.comment", s.comment_button, writes=False, opens="session comment"
                ),
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


def _session_id() -> opt.Option:
    return opt.string("id", "The session number, e.g. 12", max_length=13)


def _reason() -> opt.Option:
    return opt.string("reason", "Why (optional)", required=False, rest=True, max_length=300)


def _commands(types: tuple[str, ...]) -> list[Command]:
    return [*_finding(types), *_session_commands(), *_moderation()]


def _finding(types: tuple[str, ...]) -> list[Command]:
    return [
        typed.command(
            "mentor profile set",
            "Create or change your mentor profile",
            c.profile_set,
            options=(
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
        typed.command(
            "mentor profile show",
            "Show a mentor's profile",
            c.profile_show,
            options=(opt.member("member", "Whose profile (default: yours)", required=False),),
            writes=False,
        ),
        typed.command(
            "mentors",
            "List mentors, best first",
            c.mentors,
            options=(
                opt.string("topic", "A topic", required=False, max_length=40),
                opt.integer("page", "Page", required=False, min_value=1, max_value=100),
            ),
            writes=False,
        ),
        typed.command(
            "mentor match",
            "The best three mentors for a topic",
            c.match,
            options=(
                opt.string("topic", "What you need help with", max_length=40),
                opt.choice("type", "Session type", types, required=False),
            ),
            writes=False,
        ),
        typed.command(
            "mentor request",
            "Ask a mentor for a session",
            s.request,
            options=(
                opt.member("member", "The mentor"),
                opt.choice("type", "Session type", types),
                opt.string("message", "What you'd like help with", rest=True, max_length=1000),
                opt.string("when", "YYYY-MM-DD HH:MM in your time zone", required=False),
            ),
        ),
    ]


def _session_commands() -> list[Command]:
    sid = _session_id()
    return [
        typed.command(
            "session accept",
            "Accept a session request (--when proposes another time)",
            s.accept_command,
            options=(sid, opt.string("when", "Another time: YYYY-MM-DD HH:MM", required=False)),
            examples=("/session accept 12", '/session accept 12 --when "2026-12-01 18:00"'),
        ),
        typed.command(
            "session decline",
            "Decline a session request",
            s.decline_command,
            options=(sid, _reason()),
        ),
        typed.command("session cancel", "Cancel a session", s.cancel, options=(sid, _reason())),
        typed.command("session complete", "Mark a session as done", s.complete, options=(sid,)),
        typed.command(
            "session noshow", "Record that the other side did not come", s.no_show, options=(sid,)
        ),
        typed.command(
            "session rate",
            "Rate a completed session",
            s.rate_command,
            options=(
                sid,
                opt.integer("stars", "1 to 5", min_value=1, max_value=5),
                opt.string(
                    "comment", "Optional comment", required=False, rest=True, max_length=1000
                ),
            ),
            examples=("/session rate 12 5 Really helpful",),
        ),
        typed.command(
            "session comment",
            "Add a comment to a session you rated",
            s.comment,
            options=(
                sid,
                opt.string(
                    "comment", "Your comment", rest=True, long=True, min_length=1, max_length=1000
                ),
            ),
            examples=("/session comment 12 Clear, kind and practical",),
        ),
        typed.command(
            "sessions",
            "Your mentoring sessions",
            s.sessions,
            options=(opt.choice("which", "Which", ("upcoming", "past"), required=False),),
            writes=False,
        ),
    ]


def _moderation() -> list[Command]:
    mod = Permission.MODERATOR
    return [
        typed.command(
            "admin mentor approve",
            "Approve a mentor",
            c.admin_approve,
            options=(opt.member("member", "The mentor"),),
            permission=mod,
        ),
        typed.command(
            "admin mentor remove",
            "Remove a mentor from the directory",
            c.admin_remove,
            options=(opt.member("member", "The mentor"),),
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
