"""Drive the cogs from text lines: `/checkin`, `/points give @bob 5 thanks`.

Console-only lines:
  /as NAME [--mod]   act as NAME (created on first use); --mod as a moderator
  /press N           press button N of the last reply
  /choose VALUE      choose VALUE in the last reply's menu
  /react EMOJI [on]  react to the last card (`/react 👍`), `off` removes it
  /quit              leave
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

from bot.console.render import render
from cogs.kit import Actor, Invocation, Place, Reply, Runner
from cogs.kit.textargs import split_words
from domain.identity import Platform

WORKSPACE = "demo"
CHANNEL = "console"
_META_USAGE = {
    "/as": "/as NAME [--mod]",
    "/press": "/press N",
    "/choose": "/choose VALUE",
    "/react": "/react EMOJI [off]",
}


class ConsoleAdapter:
    """A terminal session of one community; one acting member at a time."""

    def __init__(
        self,
        runner: Runner,
        *,
        community_name: str | None = None,
        actor: str = "alice",
        moderator: bool = False,
        write: Callable[[str], None] = print,
    ) -> None:
        self.runner = runner
        self.community_name = community_name
        self.write = write
        self.actor_name = actor
        self.moderator = moderator
        self.last_reply: Reply | None = None
        self.last_card: tuple[str, str] | None = None  # (message id, anchor)
        self._message_ids = itertools.count(1)

    @property
    def actor(self) -> Actor:
        return Actor(
            platform=Platform.CONSOLE,
            workspace_id=WORKSPACE,
            user_id=self.actor_name.lower(),
            display_name=self.actor_name,
            is_moderator=self.moderator,
        )

    async def handle_line(self, line: str) -> str | None:
        """Run one line and return what to print (None for blank lines and comments)."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        if not line.startswith("/"):
            return "Commands start with `/` — try /help."
        words = split_words(line[1:])
        if not words:
            return "Try /help."
        head = "/" + words[0].lower()
        if head == "/as":
            return self._switch(words[1:])
        if head == "/press":
            return await self._press(words[1:])
        if head == "/choose":
            return await self._choose(words[1:])
        if head == "/react":
            return await self._react(words[1:])
        command, used = self.runner.registry.match(words)
        if command is None:
            for size in (2, 1):
                under = self.runner.registry.prefixed(words[:size]) if len(words) >= size else []
                if under:
                    return "Which one? " + ", ".join(f"`{c.usage}`" for c in under)
            return f"I don't know `/{words[0]}`. Try /help."
        rest = line[1:].split(None, used)
        text = rest[used] if len(rest) > used else ""
        inv = Invocation(
            actor=self.actor,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL),
            command=command.name,
            text=text,
            community_name=self.community_name,
        )
        return await self._show(await self.runner.dispatch(inv))

    async def _show(self, reply: Reply | None) -> str | None:
        if reply is None:
            return None
        self.last_reply = reply
        if reply.anchor and not reply.ephemeral:
            message_id = str(next(self._message_ids))
            await self.runner.remember_post(
                Platform.CONSOLE, WORKSPACE, CHANNEL, message_id, reply.anchor
            )
            self.last_card = (message_id, reply.anchor)
        return render(reply)

    def _switch(self, args: list[str]) -> str:
        names = [a for a in args if not a.startswith("--")]
        if len(names) != 1 or any(a not in ("--mod",) for a in args if a.startswith("--")):
            return f"Usage: `{_META_USAGE['/as']}`"
        self.actor_name = names[0].lstrip("@")[:32]
        self.moderator = "--mod" in args
        role = " (moderator)" if self.moderator else ""
        return f"Now acting as {self.actor_name}{role}."

    async def _press(self, args: list[str]) -> str | None:
        buttons = self.last_reply.buttons if self.last_reply else ()
        if (
            len(args) != 1
            or not (args[0].isascii() and args[0].isdigit())
            or not 1 <= int(args[0]) <= len(buttons)
        ):
            if not buttons:
                return "The last reply has no buttons."
            return f"Usage: `{_META_USAGE['/press']}` with N from 1 to {len(buttons)}."
        button = buttons[int(args[0]) - 1]
        if button.url:
            return f"(opens {button.url})"
        message_id = self.last_card[0] if self.last_card else None
        inv = Invocation(
            actor=self.actor,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL, message_id=message_id),
            action_id=button.action_id,
            community_name=self.community_name,
        )
        return await self._show(await self.runner.dispatch(inv))

    async def _choose(self, args: list[str]) -> str | None:
        select = self.last_reply.select if self.last_reply else None
        if select is None:
            return "The last reply has no menu."
        values = {o.value for o in select.options}
        if len(args) != 1 or args[0] not in values:
            return f"Usage: `{_META_USAGE['/choose']}` with one of: {', '.join(sorted(values))}."
        inv = Invocation(
            actor=self.actor,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL),
            action_id=select.action_id,
            values=(args[0],),
            community_name=self.community_name,
        )
        return await self._show(await self.runner.dispatch(inv))

    async def _react(self, args: list[str]) -> str | None:
        if self.last_card is None:
            return "There is no card to react to yet."
        if not 1 <= len(args) <= 2 or (len(args) == 2 and args[1] not in ("on", "off")):
            return f"Usage: `{_META_USAGE['/react']}`"
        inv = Invocation(
            actor=self.actor,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL, message_id=self.last_card[0]),
            reaction=args[0],
            reaction_added=not (len(args) == 2 and args[1] == "off"),
            community_name=self.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is None:
            return f"(reacted {args[0]} — nothing counts that here)"
        return await self._show(reply)
