"""The Slack adapter's core: options, who is acting, the error boundary, sending results.

`SlackAdapter` (bot/slack/adapter.py) is built on this with its commands and
buttons; `bot/slack/modals.py` and `bot/slack/events.py` add the long-text
forms and the events (reactions, DMs, App Home). Every handler acknowledges
first and runs its work through `_spawn`, the adapter's one error boundary,
and every result goes out through `_send`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import messages as _words  # noqa: F401  (registers the words)
from bot.slack.blocks import SlackMessage, files_of, render
from bot.slack.delivery import SlackDeliverer
from bot.slack.people import People, SlackPerson
from bot.slack.verify import RequestCheck
from cogs.kit import Actor, Reply, Runner
from cogs.kit.messages import text as words
from cogs.kit.options import MemberRef
from domain.identity import Platform

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SLACK_MEMBER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$")
# Errors meaning "this bot cannot post there" (not worth retrying through chat.postMessage).
_CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


def slack_member_parser(word: str) -> MemberRef | None:
    """`<@U123|ana>` and `<@U123>` are vouched by Slack; `@ana` must name a known member."""
    if m := _SLACK_MEMBER.match(word):
        return MemberRef(m.group(1), m.group(2) or m.group(1), vouched=True)
    if word.startswith("@") and len(word) > 1:
        return MemberRef(word[1:], word[1:], vouched=False)
    return None


@dataclass(frozen=True, slots=True)
class SlackOptions:
    """What the adapter needs from the settings (built by `bot.slack.run`)."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = "https://slack.com/api/"
    command_prefix: str = ""
    moderators: frozenset[str] = field(default_factory=frozenset)
    community_name: str | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a result goes: the channel, the member, and a response_url if Slack gave one."""

    workspace_id: str
    user_id: str
    channel_id: str | None
    respond: Callable[..., Awaitable[Any]] | None = None
    replace_original: bool | None = None


class SlackCore:
    """What every part of the Slack adapter shares: the clients, the runner, the tasks."""

    def __init__(
        self, runner: Runner, options: SlackOptions, *, client: AsyncWebClient | None = None
    ) -> None:
        self.runner = runner
        self.registry = runner.registry
        self.options = options
        self.client = client or AsyncWebClient(
            token=options.bot_token, base_url=options.api_url, timeout=10
        )
        self.people = People(self.client, options.moderators)
        self.deliverer = SlackDeliverer(self.client)  # for the outbox (bot.delivery contract)
        self._tasks: set[asyncio.Task[None]] = set()
        self._socket: Any | None = None  # the Socket Mode handler while connected
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        runner.member_parsers[Platform.SLACK] = slack_member_parser
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=options.signing_secret or "",
            request_verification_enabled=not options.socket_mode,
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        # HTTP mode only: Socket Mode has no signing secret and no /slack/events.
        self._verify = RequestCheck(options.signing_secret) if options.signing_secret else None

    async def drain(self) -> None:
        """Wait until every started piece of work is done (tests, graceful shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _spawn(
        self, work: Coroutine[Any, Any, None], what: str, respond: Any | None = None
    ) -> None:
        """Run acknowledged work in a tracked task: the adapter's one error boundary.

        Handler errors were already turned into replies by the runner; what fails
        here is Slack itself (a rejected post). It is logged with a reference, and
        the member is told when Slack gave us a way to answer them.
        """

        async def guarded() -> None:
            try:
                await work
            except Exception:
                ref = secrets.token_hex(3)
                log.exception(
                    "slack: %s failed ref=%s", what, ref, extra={"platform": "slack", "ref": ref}
                )
                if respond is not None:
                    with contextlib.suppress(Exception):
                        await respond(
                            text=words("internal", ref=ref),
                            response_type="ephemeral",
                            replace_original=False,
                        )

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_bolt_error(self, error: Exception) -> None:
        log.error("slack: bolt could not handle a request: %s", type(error).__name__)

    # -- who and where ---------------------------------------------------------------

    @staticmethod
    def workspace_of(context: Mapping[str, Any]) -> str:
        """A workspace is a community; an Enterprise Grid org is one community across its teams."""
        return str(context.get("enterprise_id") or context.get("team_id") or "")

    async def _actor(self, workspace_id: str, user_id: str, name: str | None = None) -> Actor:
        person: SlackPerson = await self.people.get(user_id, name)
        return Actor(
            Platform.SLACK,
            workspace_id,
            user_id,
            person.display_name,
            is_moderator=person.is_moderator,
            is_bot=person.is_bot,
        )

    async def _named_mentions(self, text: str) -> str:
        """`<@U123>` → `<@U123|Ana>`, so a member enrolled by a mention gets their real name."""
        out, pos = [], 0
        for match in _MENTION.finditer(text):
            out.append(text[pos : match.start()])
            name = match.group(2)
            if not name:
                name = (await self.people.get(match.group(1))).display_name
            out.append(f"<@{match.group(1)}|{name.replace('>', '')}>")
            pos = match.end()
        out.append(text[pos:])
        return "".join(out)

    def _first_time(self, event_id: str | None) -> bool:
        """A cheap in-process filter for retried events; the invocation log is the guarantee."""
        if not event_id:
            return True
        if event_id in self._seen_events:
            return False
        self._seen_events[event_id] = None
        while len(self._seen_events) > 2000:
            self._seen_events.popitem(last=False)
        return True

    # -- sending results --------------------------------------------------------------------

    def _prefixed(self, reply: Reply) -> Reply:
        """Usage lines say `/points give`; with a prefix the member must type `/gh-points give`."""
        prefix = self.options.command_prefix
        if not prefix:
            return reply
        groups = "|".join(re.escape(g) for g in self.registry.groups())
        pattern = re.compile(rf"(?<=`)/({groups})\b")
        return reply.with_(text=pattern.sub(rf"/{prefix}\1", reply.text))

    async def _send(self, reply: Reply | None, where: Where) -> None:
        """Deliver a result: ephemeral to the member, public to the channel (anchored if asked)."""
        if reply is None:
            return
        reply = self._prefixed(reply)
        has_file = reply.image is not None or reply.file is not None
        if reply.ephemeral:
            note = None
            if has_file:
                note = await self._upload_files(reply, await self._dm(where.user_id))
            await self._send_ephemeral(render(reply, note=note), where)
            return
        message = render(reply)
        channel = where.channel_id
        if channel and (reply.anchor or has_file or where.respond is None):
            try:
                posted = await self.client.chat_postMessage(channel=channel, **message.as_kwargs())
            except SlackApiError as err:
                if _error_of(err) not in _CANNOT_POST:
                    raise
                # A private channel or a DM the bot is not part of: answer where we can.
                log.warning("slack: cannot post in a channel (%s)", _error_of(err))
            else:
                if reply.anchor and posted.get("ts"):
                    await self.runner.remember_post(
                        Platform.SLACK,
                        where.workspace_id,
                        str(posted.get("channel") or channel),
                        str(posted["ts"]),
                        reply.anchor,
                    )
                if has_file:
                    await self._upload_files(reply, channel)
                return
        if where.respond is not None:
            await where.respond(response_type="in_channel", **message.as_kwargs())
            if has_file:
                await self._upload_files(reply, await self._dm(where.user_id))
            return
        # Nowhere public to answer (App Home, a channel we cannot post in): tell the member.
        dm = await self._dm(where.user_id)
        await self.client.chat_postMessage(channel=dm, **message.as_kwargs())
        if has_file:
            await self._upload_files(reply, dm)

    async def _send_ephemeral(self, message: SlackMessage, where: Where) -> None:
        if where.respond is not None:
            kwargs: dict[str, Any] = {"response_type": "ephemeral", **message.as_kwargs()}
            if where.replace_original is not None:
                kwargs["replace_original"] = where.replace_original
            await where.respond(**kwargs)
            return
        if where.channel_id:
            try:
                await self.client.chat_postEphemeral(
                    channel=where.channel_id, user=where.user_id, **message.as_kwargs()
                )
                return
            except SlackApiError as err:
                log.info("slack: ephemeral post failed (%s); sending a DM", _error_of(err))
        await self.client.chat_postMessage(
            channel=await self._dm(where.user_id), **message.as_kwargs()
        )

    async def _dm(self, user_id: str) -> str:
        opened = await self.client.conversations_open(users=user_id)
        return str(opened["channel"]["id"])

    async def _upload_files(self, reply: Reply, channel: str) -> str | None:
        """Upload the reply's picture and file with the files API; say where they went."""
        sent: list[str] = []
        for data, filename, title in files_of(reply):
            await self.client.files_upload_v2(
                channel=channel, content=data, filename=filename, title=title
            )
            sent.append(filename)
        if not sent:
            return None
        return words("slack.file.sent", filename=", ".join(sent))


def _error_of(err: SlackApiError) -> str:
    try:
        return str(err.response.get("error") or "")
    except Exception:  # pragma: no cover - a response without a body
        return ""
