"""The Slack adapter: slack-bolt's AsyncApp routed to the runner.

Every request is acknowledged first (Slack: 3 s to ack, or it shows an error
and retries events), then the work runs in a tracked task and its result goes
out through `respond`, chat.postMessage or chat.postEphemeral. The one error
boundary of the adapter is `_spawn`: handler errors are already answered by
the runner; what fails here (a Slack API call) is logged with a reference.

Idempotency: a slash command's key is its trigger_id, a button's its
trigger_id, a modal's its view id, an event's its event_id — the runner's
invocation log applies each once, so a retried event (X-Slack-Retry-Num) or a
double submission changes nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import members, shortcuts
from bot.slack import messages as _words  # noqa: F401  (registers the words)
from bot.slack.blocks import SlackMessage, files_of, render
from bot.slack.delivery import SlackDeliverer
from bot.slack.emoji import from_slack
from bot.slack.people import People, SlackPerson
from bot.slack.verify import RequestCheck, malformed
from cogs.kit import Actor, Command, Invocation, Permission, Place, Reply, Runner, Tone
from cogs.kit.messages import text as words
from cogs.kit.options import MemberRef, Option
from cogs.kit.textargs import UsageError, parse
from domain.core.errors import InvalidInputError
from domain.identity import Platform

log = logging.getLogger(__name__)

MODAL_CALLBACK = "guildhall.long"
_BLOCK_PREFIX = "opt:"
_MODAL_ANSWER_WITHIN = 2.0  # seconds; Slack closes a view_submission after 3 s
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
class _Where:
    """Where a result goes: the channel, the member, and a response_url if Slack gave one."""

    workspace_id: str
    user_id: str
    channel_id: str | None
    respond: Callable[..., Awaitable[Any]] | None = None
    replace_original: bool | None = None


class SlackAdapter:
    """Serve the registry on Slack through one AsyncApp."""

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
        self._register()

    # -- wiring --------------------------------------------------------------------

    def slash_name(self, group: str) -> str:
        return f"/{self.options.command_prefix}{group}"

    def _register(self) -> None:
        for group in self.registry.groups():
            self.bolt.command(self.slash_name(group))(self._on_command)
        self.bolt.action(re.compile(".*"))(self._on_action)
        self.bolt.view(MODAL_CALLBACK)(self._on_view_submission)
        self.bolt.event("reaction_added")(self._on_reaction)
        self.bolt.event("reaction_removed")(self._on_reaction)
        self.bolt.event("app_home_opened")(self._on_home_opened)
        shortcuts.register(self)  # "Report message" (cogs/moderation)
        members.register(self)  # a deactivated member: [mydata] on_member_left
        if self.registry.dm_command:  # a feature answers DMs (message.im) and @mentions
            self.bolt.event("message")(self._on_message)
            self.bolt.event("app_mention")(self._on_message)
        self.bolt.error(self._on_bolt_error)

    def routes(self) -> list[tuple[str, str, Callable[[web.Request], Awaitable[web.Response]]]]:
        """The HTTP-mode endpoint for bot/web.py: events, commands and interactivity."""
        return [("POST", "/slack/events", self.handle_http)]

    async def handle_http(self, request: web.Request) -> web.Response:
        """Verify a Slack request before reading it, then hand it to Bolt.

        Unsigned or stale requests get 401 and malformed signed ones 400, each
        with one WARNING line: nothing an outsider sends is parsed, and nothing
        malformed reaches Bolt (which would answer 500 with a traceback).
        """
        body = await request.read()
        if self._verify is None or not self._verify.signed(body, request.headers):
            log.warning("slack: refused a request without a valid signature (401)")
            return web.Response(status=401)
        problem = malformed(body, request.content_type)
        if problem is not None:
            log.warning("slack: refused a signed but malformed request (400): %s", problem)
            return web.Response(status=400)
        bolt_response = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def run_socket_mode(self) -> None:
        """Connect over Socket Mode (no public URL needed) and serve until cancelled."""
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        assert self.options.app_token
        handler = AsyncSocketModeHandler(self.bolt, self.options.app_token, web_client=self.client)
        self._socket = handler
        try:
            await handler.start_async()
        finally:
            self._socket = None
            await handler.close_async()

    async def stop(self) -> None:
        """Stop taking Socket Mode envelopes, then finish every acknowledged one."""
        if self._socket is not None:
            await self._socket.close_async()
        await self.drain()

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

    # -- slash commands --------------------------------------------------------------

    async def _on_command(
        self, ack: Any, command: dict[str, Any], context: Any, respond: Any
    ) -> None:
        await ack()  # first, always: the work below may wait on the database
        self._spawn(self._handle_command(command, dict(context), respond), "slash command", respond)

    def resolve(self, slash: str, text: str) -> tuple[Command | None, str, str]:
        """("/points", "give <@U1> 5") → (points give, "<@U1> 5", "points")."""
        group = slash.lstrip("/")
        prefix = self.options.command_prefix
        if prefix and group.startswith(prefix):
            group = group[len(prefix) :]
        words_ = text.split()
        command, used = self.registry.match([group, *words_[:2]])
        if command is None:
            return None, text, group
        # The words after the slash command that named the subcommand are not arguments.
        parts = text.strip().split(None, used - 1) if used > 1 else [text]
        return command, (parts[used - 1] if len(parts) >= used else ""), group

    async def _handle_command(
        self, payload: dict[str, Any], context: dict[str, Any], respond: Any
    ) -> None:
        workspace = self.workspace_of(context)
        user_id = str(payload["user_id"])
        channel_id = payload.get("channel_id")
        where = _Where(workspace, user_id, channel_id, respond)
        command, text, group = self.resolve(str(payload["command"]), payload.get("text") or "")
        if command is None:
            under = self.registry.prefixed([group])
            choices = ", ".join(f"`{c.usage}`" for c in under)
            found = words("slack.which_one", group=group, choices=choices)
            reply = Reply(
                text=found if under else words("input.unknown_command", name=group),
                tone=Tone.INFO if under else Tone.ERROR,
                ephemeral=True,
            )
            await self._send(self._prefixed(reply), where)
            return
        text = await self._named_mentions(text)
        missing = self._missing_long(command, text)
        if (
            missing
            and payload.get("trigger_id")
            and await self._may_run(command, workspace, user_id)
        ):
            # Slack: a trigger_id opens a modal only within 3 s of the command.
            await self._open_modal(payload["trigger_id"], command, text, missing, where)
            return
        inv = Invocation(
            actor=await self._actor(workspace, user_id, payload.get("user_name")),
            key=f"cmd:{payload.get('trigger_id') or secrets.token_hex(8)}",
            place=Place(
                channel_id=channel_id,
                is_dm=str(channel_id or "").startswith("D")
                or payload.get("channel_name") == "directmessage",
            ),
            command=command.name,
            text=text,
            community_name=self.options.community_name,
        )
        await self._send(await self.runner.dispatch(inv), where)

    # -- modals for long text ----------------------------------------------------------

    async def _may_run(self, command: Command, workspace: str, user_id: str) -> bool:
        """Whether to open a form at all: a member gets the refusal, not a form to fill in."""
        if command.permission is not Permission.MODERATOR:
            return True
        return (await self._actor(workspace, user_id)).is_moderator

    def _missing_long(self, command: Command, text: str) -> list[Option]:
        """Long options not given inline; none if the text is wrong anyway (usage wins)."""
        long_options = [o for o in command.options if o.long]
        if not long_options:
            return []
        try:
            given = parse(command, text, lambda w: slack_member_parser(w))
        except UsageError:
            return []
        missing = [o for o in long_options if o.name not in given or given[o.name] is None]
        return missing if any(o.required for o in missing) else []

    async def _open_modal(
        self, trigger_id: str, command: Command, text: str, missing: list[Option], where: _Where
    ) -> None:
        metadata = json.dumps({"c": command.name, "t": text, "ch": where.channel_id})
        if len(metadata) > 3000:  # Slack: private_metadata holds at most 3000 characters
            reply = Reply(text=words("slack.modal.too_long"), tone=Tone.ERROR, ephemeral=True)
            await self._send(reply, where)
            return
        blocks: list[dict[str, Any]] = []
        for option in missing:
            element: dict[str, Any] = {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": min(option.max_length or 3000, 3000),
            }
            if option.min_length:
                element["min_length"] = min(option.min_length, 3000)
            blocks.append(
                {
                    "type": "input",
                    "block_id": _BLOCK_PREFIX + option.name,
                    "optional": not option.required,
                    "label": {"type": "plain_text", "text": option.name.capitalize()[:2000]},
                    "hint": {"type": "plain_text", "text": option.description[:2000]},
                    "element": element,
                }
            )
        title = words("slack.modal.title", command=command.name)
        view = {
            "type": "modal",
            "callback_id": MODAL_CALLBACK,
            "private_metadata": metadata,
            "title": {"type": "plain_text", "text": title[:24]},  # Slack: 24 characters
            "submit": {"type": "plain_text", "text": words("slack.modal.submit")},
            "close": {"type": "plain_text", "text": words("slack.modal.cancel")},
            "blocks": blocks,
        }
        await self.client.views_open(trigger_id=trigger_id, view=view)

    async def _on_view_submission(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        """Check the modal's fields; answer errors inline (the modal stays open) or run it.

        The runner gets up to 2 s so that a refusal (too short, a domain rule)
        is shown next to the field without losing what the member typed.
        """
        view = body.get("view") or {}
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        command = self.registry.command(str(meta.get("c", "")))
        if command is None:
            await ack()
            return
        values: dict[str, str] = {}
        for block_id, inputs in ((view.get("state") or {}).get("values") or {}).items():
            if block_id.startswith(_BLOCK_PREFIX):
                value = (inputs.get("value") or {}).get("value")
                if value is not None:
                    values[block_id[len(_BLOCK_PREFIX) :]] = value
        errors: dict[str, str] = {}
        by_name = {o.name: o for o in command.options}
        for name, value in values.items():
            option = by_name.get(name)
            if option is None:
                continue
            try:
                option.convert(value)
            except InvalidInputError as err:
                errors[_BLOCK_PREFIX + name] = _inline(str(err.params.get("problem", "invalid")))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        ctx = dict(context)
        workspace = self.workspace_of(ctx)
        user = body.get("user") or {}
        user_id = str(user.get("id", ""))
        where = _Where(workspace, user_id, meta.get("ch"))

        async def run() -> Reply | None:
            # The users.info look-up counts against the same 2 s, so it runs inside.
            inv = Invocation(
                actor=await self._actor(workspace, user_id, user.get("name")),
                key=f"view:{view.get('id') or body.get('trigger_id')}",
                place=Place(channel_id=where.channel_id),
                command=command.name,
                text=str(meta.get("t", "")),
                options={k: v for k, v in values.items() if k in by_name},
                community_name=self.options.community_name,
            )
            return await self.runner.dispatch(inv)

        task = asyncio.get_running_loop().create_task(run())
        done, _ = await asyncio.wait({task}, timeout=_MODAL_ANSWER_WITHIN)
        if task in done:
            reply = task.result()
            if reply is not None and reply.tone is Tone.ERROR and not reply.replayed:
                first = next(iter(values), None) or next(o.name for o in command.options if o.long)
                await ack(
                    response_action="errors", errors={_BLOCK_PREFIX + first: _inline(reply.text)}
                )
                return
            await ack()
            self._spawn(self._send(reply, where), "modal result")
            return
        await ack()  # slow: close the modal now, post the result when it is ready

        async def finish() -> None:
            await self._send(await task, where)

        self._spawn(finish(), "modal result")

    # -- buttons and selects ------------------------------------------------------------

    async def _on_action(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], context: Any, respond: Any
    ) -> None:
        await ack()
        if action.get("url") or str(action.get("action_id", "")).startswith("link:"):
            return  # a link button: Slack opened the URL, nothing to run
        respond = respond if body.get("response_url") else None
        self._spawn(self._handle_action(body, action, dict(context), respond), "action", respond)

    async def _handle_action(
        self,
        body: dict[str, Any],
        action: dict[str, Any],
        context: dict[str, Any],
        respond: Any,
    ) -> None:
        workspace = self.workspace_of(context)
        user = body.get("user") or {}
        container = body.get("container") or {}
        channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
        # A button carries its real action id in `value` (its Slack action_id may
        # have a uniqueness suffix); a select is named by its action_id.
        action_id = str(action.get("action_id") or "")
        values: tuple[str, ...] = ()
        if action.get("type") == "button" and action.get("value"):
            action_id = str(action["value"])
        elif selected := action.get("selected_option"):
            values = (str(selected.get("value")),)
        elif options := action.get("selected_options"):
            values = tuple(str(o.get("value")) for o in options)
        where = _Where(workspace, str(user.get("id")), channel_id, respond, replace_original=False)
        inv = Invocation(
            actor=await self._actor(workspace, str(user.get("id")), user.get("name")),
            key=f"act:{body.get('trigger_id') or action.get('action_ts')}",
            place=Place(
                channel_id=channel_id,
                message_id=container.get("message_ts"),
                is_dm=str(channel_id or "").startswith("D"),
            ),
            action_id=action_id,
            values=values,
            community_name=self.options.community_name,
        )
        await self._send(await self.runner.dispatch(inv), where)

    # -- reactions ------------------------------------------------------------------------

    async def _on_reaction(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()
        if not self._first_time(body.get("event_id")):
            return
        ctx = dict(context)
        user_id = str(event.get("user") or "")
        if not user_id or event.get("bot_id") or user_id == ctx.get("bot_user_id"):
            return  # bots (and our own seed reactions) never vote
        item = event.get("item") or {}
        if item.get("type") != "message" or not item.get("channel") or not item.get("ts"):
            return
        self._spawn(self._handle_reaction(body, event, item, ctx), "reaction")

    def _rule_emoji(self, name: str) -> str:
        """The emoji as a reaction rule declares it ("👍" for "+1"; variation selectors aside)."""
        emoji = from_slack(name)
        bare = emoji.replace("\ufe0f", "")
        for rule in self.registry.reactions:
            for declared in rule.emojis:
                if declared.replace("\ufe0f", "") == bare:
                    return declared
        return emoji

    async def _handle_reaction(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        item: dict[str, Any],
        context: dict[str, Any],
    ) -> None:
        workspace = self.workspace_of(context)
        user_id = str(event["user"])
        actor = await self._actor(workspace, user_id)
        if actor.is_bot:
            return
        inv = Invocation(
            actor=actor,
            key=f"evt:{body.get('event_id') or event.get('event_ts')}",
            place=Place(channel_id=str(item["channel"]), message_id=str(item["ts"])),
            reaction=self._rule_emoji(str(event.get("reaction", ""))),
            reaction_added=event.get("type") == "reaction_added",
            community_name=self.options.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is not None and not reply.replayed:
            await self._send(reply, _Where(workspace, user_id, str(item["channel"])))

    # -- DMs and mentions: the command a feature named (cogs.kit.Cog.dm_command) ---------

    async def _on_message(
        self, ack: Any, body: dict[str, Any], event: dict[str, Any], context: Any
    ) -> None:
        await ack()  # Slack: acknowledge first, then post the answer when it is ready
        ctx = dict(context)
        user_id = str(event.get("user") or "")
        is_dm = event.get("type") == "message" and event.get("channel_type") == "im"
        if event.get("type") == "message" and not is_dm:
            return  # channel chatter is not for us; only an @mention is
        if event.get("subtype") or event.get("bot_id") or not user_id:
            return  # edits, joins and bots (ourselves included) are not questions
        if user_id == ctx.get("bot_user_id") or not self._first_time(body.get("event_id")):
            return
        self._spawn(self._handle_message(body, event, ctx, is_dm), "direct message")

    async def _handle_message(
        self, body: dict[str, Any], event: dict[str, Any], context: dict[str, Any], is_dm: bool
    ) -> None:
        workspace = self.workspace_of(context)
        user_id, channel = str(event["user"]), str(event.get("channel") or "")
        actor = await self._actor(workspace, user_id)
        text = str(event.get("text") or "")
        if not is_dm:  # "<@UBOT> how do streaks work?": the question is what follows us
            text = text.replace(f"<@{context.get('bot_user_id')}>", "", 1)
        text = text.strip()
        inv = Invocation(
            actor=actor,
            key=f"evt:{body.get('event_id') or event.get('event_ts')}",
            place=Place(channel_id=channel, thread_id=event.get("thread_ts"), is_dm=is_dm),
            command=self.registry.dm_command,
            text=await self._named_mentions(text),
            community_name=self.options.community_name,
        )
        reply = await self.runner.dispatch(inv)
        if reply is not None and is_dm:
            reply = reply.with_(ephemeral=False)  # a DM is already private
        await self._send(reply, _Where(workspace, user_id, channel))

    # -- App Home -------------------------------------------------------------------------

    async def _on_home_opened(self, ack: Any, event: dict[str, Any], context: Any) -> None:
        await ack()
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        self._spawn(self.publish_home(self.workspace_of(dict(context)), str(event["user"])), "home")

    async def publish_home(self, workspace_id: str, user_id: str) -> None:
        """Render the "home" view a feature declares as this user's App Home tab."""
        actor = Actor(Platform.SLACK, workspace_id, user_id, user_id)
        reply = await self.runner.view("home", Invocation(actor=actor, key=""))
        if reply is None:
            return
        view = {"type": "home", "blocks": render(self._prefixed(reply)).blocks}
        await self.client.views_publish(user_id=user_id, view=view)

    # -- sending results --------------------------------------------------------------------

    def _prefixed(self, reply: Reply) -> Reply:
        """Usage lines say `/points give`; with a prefix the member must type `/gh-points give`."""
        prefix = self.options.command_prefix
        if not prefix:
            return reply
        groups = "|".join(re.escape(g) for g in self.registry.groups())
        pattern = re.compile(rf"(?<=`)/({groups})\b")
        return reply.with_(text=pattern.sub(rf"/{prefix}\1", reply.text))

    async def _send(self, reply: Reply | None, where: _Where) -> None:
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

    async def _send_ephemeral(self, message: SlackMessage, where: _Where) -> None:
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


def _inline(text: str) -> str:
    """A refusal as plain text under a modal field (no markup; Slack shows ~150 characters)."""
    cleaned = text.replace("**", "").replace("`", "")
    return cleaned if len(cleaned) <= 150 else cleaned[:149] + "…"


def _error_of(err: SlackApiError) -> str:
    try:
        return str(err.response.get("error") or "")
    except Exception:  # pragma: no cover - a response without a body
        return ""
