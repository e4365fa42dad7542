"""Drive the cogs from text lines: `/checkin`, `/points give @bob 5 thanks`.

Console-only lines:
  /as NAME [--mod]   act as NAME (created on first use); --mod as a moderator
  /press N           press button N of the last reply
  /choose VALUE      choose VALUE in the last reply's menu
  /react EMOJI [on]  react to the card you last saw (`/react 👍`), `off` removes it
  /quit              leave (also in a script: the lines after it are not run)
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable

from bot.console.messages import MESSAGES
from bot.console.render import render
from cogs.kit import Actor, Invocation, Place, Reply, Runner
from cogs.kit import messages as catalogue
from cogs.kit.textargs import split_words
from domain.core.ids import parse_id
from domain.identity import Platform

catalogue.register(MESSAGES)

WORKSPACE = "demo"
CHANNEL = "console"
_META_USAGE = {
    "/as": "/as NAME [--mod]",
    "/press": "/press N",
    "/choose": "/choose VALUE",
    "/react": "/react EMOJI [off]",
}
# A console name is a plain word: no platform mention syntax (`<@U123>`), no control
# characters (PostgreSQL refuses NUL), so `/as` can never enrol a phantom member.
_NAME = re.compile(r"[^\W_][\w.\-]{0,31}")
QUIT = ("/quit", "/exit")


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
        # A card shown only to one member (`/proposal show`) is the one they last saw.
        self._seen: dict[str, tuple[str, str]] = {}
        self._message_ids = itertools.count(1)
        self.quit = False

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
            return catalogue.text("console.not_a_command")
        words = split_words(line[1:])
        if not words:
            return catalogue.text("console.try_help")
        head = "/" + words[0].lower()
        if head in QUIT and len(words) == 1:
            self.quit = True
            return None
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
                    return catalogue.text(
                        "console.which_one", usages=", ".join(c.usage for c in under)
                    )
            return catalogue.text("console.unknown_command", name=words[0])
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
        if reply.anchor:
            message_id = str(next(self._message_ids))
            await self.runner.remember_post(
                Platform.CONSOLE, WORKSPACE, CHANNEL, message_id, reply.anchor
            )
            if reply.ephemeral:
                self._seen[self.actor.user_id] = (message_id, reply.anchor)
            else:  # everyone sees a public card: it is now the last one each of them saw
                self.last_card = (message_id, reply.anchor)
                self._seen.clear()
        return render(reply)

    def seen_card(self) -> tuple[str, str] | None:
        """The card the acting member last saw: their own private one, or the last public one."""
        return self._seen.get(self.actor.user_id, self.last_card)

    def _switch(self, args: list[str]) -> str:
        names = [a for a in args if not a.startswith("--")]
        if len(names) != 1 or any(a not in ("--mod",) for a in args if a.startswith("--")):
            return catalogue.text("console.usage", usage=_META_USAGE["/as"])
        name = names[0].removeprefix("@")
        if not _NAME.fullmatch(name):
            return catalogue.text("console.as.bad_name", usage=_META_USAGE["/as"])
        # Names are case-insensitive: `/as Bob` is bob, and keeps the name bob is known by.
        self.actor_name = name.lower()
        self.moderator = "--mod" in args
        done = "console.as.done_mod" if self.moderator else "console.as.done"
        return catalogue.text(done, name=self.actor_name)

    async def _press(self, args: list[str]) -> str | None:
        buttons = self.last_reply.buttons if self.last_reply else ()
        number = parse_id(args[0]) if len(args) == 1 else None
        if number is None or number > len(buttons):
            if not buttons:
                return catalogue.text("console.press.none")
            return catalogue.text(
                "console.press.usage", usage=_META_USAGE["/press"], n=len(buttons)
            )
        button = buttons[number - 1]
        if button.url:
            return catalogue.text("console.press.opens", url=button.url)
        seen = self.seen_card()
        message_id = seen[0] if seen else None
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
            return catalogue.text("console.choose.none")
        values = {o.value for o in select.options}
        if len(args) != 1 or args[0] not in values:
            return catalogue.text(
                "console.choose.usage",
                usage=_META_USAGE["/choose"],
                values=", ".join(sorted(values)),
            )
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
        card = self.seen_card()
        if card is None:
            return catalogue.text("console.react.none")
        if not 1 <= len(args) <= 2 or (len(args) == 2 and args[1] not in ("on", "off")):
            return catalogue.text("console.usage", usage=_META_USAGE["/react"])
        inv = Invocation(
            actor=self.actor,
            key=uuid.uuid4().hex,
            place=Place(channel_id=CHANNEL, message_id=card[0]),
            reaction=args[0],
            reaction_added=not (len(args) == 2 and args[1] == "off"),
            community_name=self.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is None:
            return catalogue.text("console.react.ignored", emoji=args[0])
        return await self._show(reply)
