"""Declarations: commands, actions (buttons/selects), reaction rules and jobs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cogs.kit.options import Option
from cogs.kit.page import Page
from cogs.kit.reply import Reply
from domain.core.activity import Projection

if TYPE_CHECKING:
    from cogs.kit.invocation import Call

Handler = Callable[["Call"], Awaitable[Reply]]


class Permission(StrEnum):
    """Who may run a command: every member, or moderators only."""

    MEMBER = "member"
    MODERATOR = "moderator"


class Visibility(StrEnum):
    """Who sees a reply: the channel, or only the caller."""

    PUBLIC = "public"
    EPHEMERAL = "ephemeral"  # only the caller sees it


# Limits both platforms impose (Discord: 32/100 chars; Slack: 32-char command names).
NAME_MAX = 32
DESCRIPTION_MAX = 100


@dataclass(frozen=True, slots=True)
class Command:
    """A command such as "checkin", "points give" or "admin quest create".

    Up to three words: a top-level command, an optional subgroup, a subcommand
    (Discord's subcommand groups; on Slack, the words after the slash command).

    `writes` opens a writing unit of work (committed by the runner when the
    handler returns); `slow` tells adapters to acknowledge before running it.
    """

    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    permission: Permission = Permission.MEMBER
    visibility: Visibility = Visibility.PUBLIC
    writes: bool = True
    slow: bool = False
    examples: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """("admin", "quest", "create"): top-level command, optional subgroup, subcommand."""
        return tuple(self.name.split(" "))

    @property
    def group(self) -> str:
        return self.path[0]

    @property
    def subcommand(self) -> str | None:
        return " ".join(self.path[1:]) or None

    @property
    def usage(self) -> str:
        """`/quest submit <quest> <proof>`; options after a `rest` one appear as flags."""
        parts = ["/" + self.name]
        after_rest = False
        for option in self.options:
            parts.append(option.flag_placeholder if after_rest else option.placeholder)
            after_rest = after_rest or option.rest
        return " ".join(parts)

    @property
    def ephemeral(self) -> bool:
        return self.visibility is Visibility.EPHEMERAL


@dataclass(frozen=True, slots=True)
class Action:
    """A button or select handler; its id prefix is `name` ("proposal.vote")."""

    name: str
    handler: Handler
    permission: Permission = Permission.MEMBER
    visibility: Visibility = Visibility.EPHEMERAL
    writes: bool = True
    # A command whose form (modal) a platform with forms opens instead, the button's
    # arguments filling its first options; elsewhere `handler` runs (say how to type it).
    opens: str | None = None


@dataclass(frozen=True, slots=True)
class ReactionRule:
    """React to emojis on anchored messages of one kind ("proposal").

    `emojis` maps each emoji to a meaning the handler receives in
    `call.options["meaning"]`; `call.options["added"]` tells add from remove.
    """

    anchor_kind: str
    emojis: Mapping[str, str]
    handler: Handler


@dataclass(frozen=True, slots=True)
class Cron:
    """Fire at wall-clock times in the community's zone (APScheduler cron fields)."""

    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day: str = "*"


@dataclass(frozen=True, slots=True)
class Every:
    """Fire at a fixed interval."""

    interval: timedelta


JobHandler = Callable[[datetime], Awaitable[None]]
"""A job receives the time it was scheduled for (aware UTC) and does its own units of work."""


@dataclass(frozen=True, slots=True)
class Job:
    """A scheduled job a cog declares; the scheduler runs it once across processes.

    `grace` is how late a missed run may still fire after a restart (None:
    always run it, as for a proposal's close). `catch_up_when_new` makes the
    very first start on a fresh database run the latest scheduled time within
    `grace` too (a weekly rotation opens this week's challenges at once)
    instead of counting only from now.
    """

    name: str
    trigger: Cron | Every
    handler: JobHandler
    grace: timedelta | None = timedelta(minutes=10)
    description: str = ""
    catch_up_when_new: bool = False


Autocomplete = Callable[[Any, str], Awaitable[list[tuple[str, str]]]]


@dataclass(frozen=True, slots=True)
class View:
    """A page a platform shows on its own (Slack's App Home, a member dashboard).

    The runner renders it read-only for a known member with `handler`, and
    with `newcomer()` for someone not enrolled yet: opening it changes nothing.
    """

    name: str
    handler: Handler
    newcomer: Callable[[], Reply]


@dataclass(slots=True)
class Cog:
    """Everything one feature contributes."""

    name: str
    commands: list[Command] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    reactions: list[ReactionRule] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    autocompletes: dict[str, Autocomplete] = field(default_factory=dict)
    views: list[View] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    projections: list[Projection] = field(default_factory=list)
    """What the feature derives from activities (see `domain.core.activity.Projection`)."""
    # A direct message to the bot (or a mention of it) becomes this command, with the
    # message as its text; adapters route DMs here without knowing the feature.
    dm_command: str | None = None
