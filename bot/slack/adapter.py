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

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import members, shortcuts
from bot.slack import messages as _words  # noqa: F401  (registers the words)
from bot.slack.core import SlackOptions, Where, slack_member_parser
from bot.slack.events import SlackEvents
from bot.slack.modals import MODAL_CALLBACK, SlackModals
from bot.slack.verify import malformed
from cogs.kit import Command, Invocation, Place, Reply, Runner, Tone
from cogs.kit.messages import text as words

log = logging.getLogger(__name__)

__all__ = ["MODAL_CALLBACK", "SlackAdapter", "SlackOptions", "slack_member_parser"]


class SlackAdapter(SlackModals, SlackEvents):
    """Serve the registry on Slack through one AsyncApp: commands, buttons, modals, events."""

    def __init__(
        self, runner: Runner, options: SlackOptions, *, client: AsyncWebClient | None = None
    ) -> None:
        super().__init__(runner, options, client=client)
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
        where = Where(workspace, user_id, channel_id, respond)
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
        where = Where(workspace, str(user.get("id")), channel_id, respond, replace_original=False)
        if body.get("trigger_id") and await self._opened_form(body["trigger_id"], action_id, where):
            return
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

    async def _opened_form(self, trigger_id: str, action_id: str, where: Where) -> bool:
        """A button that opens a command's form (`Action.opens`): open it, its arguments filled.

        The button's arguments are the command's first options ("Add a comment"
        on session 4 opens `/session comment 4`'s form); a member who may not
        run the command gets the button's own answer instead of a form.
        """
        found, args = self.registry.action(action_id)
        command = self.registry.command(found.opens) if found and found.opens else None
        if command is None or not await self._may_run(command, where.workspace_id, where.user_id):
            return False
        text = " ".join(args)
        missing = self._missing_long(command, text)
        if not missing:
            return False
        await self._open_modal(trigger_id, command, text, missing, where)
        return True
