"""What an adapter hands the runner, and what the runner hands a handler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cogs.kit.reply import Mention, mention_token
from domain.identity.model import Community, Member, Platform

if TYPE_CHECKING:
    from cogs.kit.context import CogContext
    from domain.core.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, as their platform describes them."""

    platform: Platform
    workspace_id: str
    user_id: str
    display_name: str
    is_moderator: bool = False
    roles: tuple[str, ...] = ()
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """Where it happened."""

    channel_id: str | None = None
    thread_id: str | None = None
    is_dm: bool = False
    message_id: str | None = None  # the message a button or reaction belongs to


@dataclass(frozen=True, slots=True)
class Invocation:
    """One command, button press, select or reaction, in platform-neutral form.

    Exactly one of `command`, `action_id` or `reaction` is set. Options arrive
    either typed (`options`, from Discord) or as a line of text (`text`, from
    Slack and the console) that the runner parses by the command's options.
    `key` is the platform's idempotency key (interaction id, trigger id, event
    id): the same key is applied once.
    """

    actor: Actor
    key: str
    place: Place = field(default_factory=Place)
    command: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    text: str | None = None
    action_id: str | None = None
    values: tuple[str, ...] = ()
    reaction: str | None = None
    reaction_added: bool = True
    community_name: str | None = None


@dataclass(slots=True)
class Call:
    """A resolved invocation: the handler's whole world for one request."""

    inv: Invocation
    ctx: CogContext
    uow: UnitOfWork
    community: Community
    member: Member
    options: dict[str, Any]
    now: datetime
    args: tuple[str, ...] = ()  # for actions: the parts of the action id after its name
    anchor: str | None = None  # for reactions: what the reacted message shows
    mentions: dict[int, Mention] = field(default_factory=dict)

    @property
    def is_moderator(self) -> bool:
        return self.inv.actor.is_moderator

    def mention(self, member: Member) -> str:
        """Refer to `member` in reply text; collect them for the reply's `mentions`."""
        if member.id not in self.mentions:
            self.mentions[member.id] = Mention(int(member.id), member.display_name)
        return mention_token(member.id)
