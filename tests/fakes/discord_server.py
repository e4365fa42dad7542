"""A loopback fake of Discord that speaks the real wire protocol to discord.py.

An aiohttp server on 127.0.0.1 (ephemeral port) serves the REST routes the
bot uses and a websocket gateway (HELLO, IDENTIFY -> READY + GUILD_CREATE,
heartbeat ACKs). Tests dispatch gateway events built from recorded payloads
(`tests/fixtures/discord/`) and assert on the REST calls the bot made.

Discord answers JSON with `Content-Type: application/json` exactly (discord.py
checks the header verbatim), so every JSON answer here does too.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discord"
API_PREFIX = "/api/v10"
APPLICATION_ID = "1100000000000000001"
BOT_USER = {
    "id": APPLICATION_ID,
    "username": "acceptance-bot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "flags": 0,
    "public_flags": 0,
    "verified": True,
    "mfa_enabled": False,
}


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload ("INTERACTION_CREATE.slash_command")."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Recorded:
    """One REST call the bot made."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    files: list[str] = field(default_factory=list)


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


class FakeDiscord:
    """The fake; `await start()`, point discord.py at `api_base`, then drive it."""

    def __init__(self) -> None:
        self.guild = payload("GUILD_CREATE")
        self.requests: list[Recorded] = []
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1_400_000_000_000_000_000)
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self.identified: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.ready = asyncio.Event()
        self.response_message_ids: dict[str, str] = {}  # interaction id -> posted message id
        # Channel messages created, and by enforced nonce (Discord keeps one per nonce).
        self.created: list[dict[str, Any]] = []
        self.by_nonce: dict[str, dict[str, Any]] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.invites: dict[str, int] = {}  # invite code -> uses
        self.scheduled_events: dict[str, dict[str, Any]] = {}  # id -> guild scheduled event

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- test controls -------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        body: dict[str, Any],
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching calls with an error."""
        self._failures.append(
            _Failure(method, re.compile(path_pattern), status, body, headers or {}, times)
        )

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway DISPATCH (op 0) to every connected shard."""
        message = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(message))

    async def wait_for(self, predicate: Callable[[Recorded], bool]) -> Recorded:
        """The first recorded call matching `predicate`, waiting for it (up to 10 s)."""

        def found() -> Recorded | None:
            return next((r for r in self.requests if predicate(r)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), 10)
        result = found()
        assert result is not None
        return result

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.fullmatch(r.path)]

    # -- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps(payload("gateway_hello")))
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                op = data.get("op")
                if op == 1:  # heartbeat
                    self.heartbeats += 1
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:  # identify
                    self.identified.append(data["d"])
                    await self._ready(ws, data["d"])
        finally:
            self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        shard = identify.get("shard", [0, 1])
        ready = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": self.guild["id"], "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "shard": shard,
            "application": {"id": APPLICATION_ID, "flags": 0},
        }
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        await ws.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": self.guild})
        )
        self.ready.set()

    # -- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        recorded = Recorded(request.method, path, dict(request.query), body, files)
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        for failure in self._failures:
            if (
                failure.times > 0
                and failure.method == request.method
                and failure.pattern.fullmatch(path)
            ):
                failure.times -= 1
                return _json(failure.body, failure.status, failure.headers)
        return self._answer(request.method, path, body)

    def _answer(self, method: str, path: str, body: Any) -> web.Response:
        guild_id = self.guild["id"]
        if path == "/gateway/bot":
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if path == "/gateway":
            return _json({"url": self.gateway_url})
        if path == "/users/@me" and method == "GET":
            return _json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return _json(_application())
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            return _json([self._command(c) for c in body or []])
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(m.group(1), body or {})
        if re.fullmatch(r"/webhooks/\d+/[^/]+", path) and method == "POST":
            return _json(self._message(body or {}))
        if re.fullmatch(r"/webhooks/\d+/[^/]+/messages/[^/]+", path):
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self._message(body or {}))
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            nonce = (body or {}).get("nonce") if (body or {}).get("enforce_nonce") else None
            if nonce is not None and nonce in self.by_nonce:
                return _json(self.by_nonce[nonce])  # Discord: the message already created
            created = self._message(body or {}, channel_id=m.group(1))
            self.created.append(created)
            if nonce is not None:
                self.by_nonce[nonce] = created
            return _json(created)
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            return _json(self._message(body or {}, channel_id=m.group(1), message_id=m.group(2)))
        if re.fullmatch(r"/channels/\d+/typing", path):
            return web.Response(status=204)
        if re.fullmatch(r"/channels/\d+/messages/\d+/reactions/.*", path):
            return web.Response(status=204)
        if path == "/users/@me/channels" and method == "POST":
            recipient = str((body or {}).get("recipient_id", "0"))
            return _json({"id": str(next(self._ids)), "type": 1, "recipients": [_user(recipient)]})
        if m := re.fullmatch(r"/users/(\d+)", path):
            return _json(_user(m.group(1)))
        if m := re.fullmatch(r"/channels/(\d+)/invites", path):
            code = f"inv{len(self.invites) + 1}"
            self.invites[code] = 0
            return _json(self._invite(code, m.group(1)))
        if path == f"/guilds/{guild_id}/invites":
            return _json([self._invite(code, "0") for code in self.invites])
        if path == f"/guilds/{guild_id}/channels":
            return _json(self.guild["channels"])
        if path == f"/guilds/{guild_id}/roles":
            return _json(self.guild["roles"])
        if re.fullmatch(rf"/guilds/{guild_id}/members/\d+/roles/\d+", path):
            return web.Response(status=204)
        if path.startswith(f"/guilds/{guild_id}/scheduled-events"):
            return self._scheduled_event(method, path, body or {})
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _scheduled_event(self, method: str, path: str, body: dict[str, Any]) -> web.Response:
        """Guild Scheduled Events: list, create, edit (status too) and delete, kept in memory."""
        event_id = path.rsplit("/", 1)[1] if path.count("/") == 4 else None
        if event_id is None and method == "GET":
            return _json(list(self.scheduled_events.values()))
        if event_id is None and method == "POST":
            created = {
                "id": str(next(self._ids)),
                "guild_id": self.guild["id"],
                "channel_id": None,
                "creator_id": APPLICATION_ID,
                "entity_id": None,
                "entity_metadata": body.get("entity_metadata"),
                "image": None,
                "privacy_level": body.get("privacy_level", 2),
                "status": 1,  # scheduled
                "user_count": 0,
                "recurrence_rule": None,
                **{k: body.get(k) for k in ("name", "description", "entity_type")},
                "scheduled_start_time": body.get("scheduled_start_time"),
                "scheduled_end_time": body.get("scheduled_end_time"),
            }
            self.scheduled_events[created["id"]] = created
            return _json(created)
        known = self.scheduled_events.get(event_id or "")
        if known is None:
            return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, 404)
        if method == "PATCH":
            known.update(body)
            return _json(known)
        if method == "DELETE":
            del self.scheduled_events[known["id"]]
            return web.Response(status=204)
        return _json(known)

    def _invite(self, code: str, channel_id: str) -> dict[str, Any]:
        return {
            "code": code,
            "uses": self.invites[code],
            "max_uses": 0,
            "max_age": 0,
            "temporary": False,
            "created_at": "2026-11-16T12:00:00+00:00",
            "guild": {"id": self.guild["id"], "name": self.guild["name"]},
            "channel": {"id": channel_id, "name": "general", "type": 0},
        }

    async def member_joins(self, user_id: str, name: str, invite: str | None) -> None:
        """A newcomer joins the guild, through `invite` (its use count goes up) or not."""
        if invite is not None:
            self.invites[invite] += 1
        await self.dispatch(
            "GUILD_MEMBER_ADD",
            {
                "guild_id": self.guild["id"],
                "user": _user(user_id) | {"username": name, "global_name": name},
                "roles": [],
                "joined_at": "2026-11-16T12:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            },
        )

    def _command(self, command: dict[str, Any]) -> dict[str, Any]:
        return {
            **command,
            "id": str(next(self._ids)),
            "application_id": APPLICATION_ID,
            "version": "1",
            "description": command.get("description", ""),  # "" for context menus, as Discord
            "default_member_permissions": command.get("default_member_permissions"),
        }

    def _message(
        self,
        body: dict[str, Any],
        *,
        channel_id: str | None = None,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": message_id or str(next(self._ids)),
            "channel_id": channel_id or self.guild["channels"][0]["id"],
            "type": 0,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": "2026-11-21T07:11:09.089536+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": body.get("flags") or 0,
        }

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> web.Response:
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": interaction_id, "type": 2}
        resource: dict[str, Any] | None = None
        if kind in (4, 5, 7):
            message = self._message(data)
            self.response_message_ids[interaction_id] = message["id"]
            interaction["response_message_id"] = message["id"]
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = bool((data.get("flags") or 0) & 64)
            resource = {"type": kind, "message": message}
        return _json({"interaction": interaction, "resource": resource})

    # -- building gateway events ------------------------------------------------------------

    def next_id(self) -> str:
        return str(next(self._ids))

    def slash(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        permissions: str = "2147483647",
        resolved: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE for `/name` (with subcommand options already nested)."""
        data = payload("INTERACTION_CREATE.slash_command")
        data["id"] = self.next_id()
        data["token"] = f"token-{data['id']}"
        data["member"]["permissions"] = permissions
        data["data"] = {"type": 1, "name": name, "id": self.next_id(), "options": options or []}
        if resolved:
            data["data"]["resolved"] = resolved
        return data

    def button(
        self, custom_id: str, message_id: str, *, permissions: str = "2147483647"
    ) -> dict[str, Any]:
        data = payload("INTERACTION_CREATE.button")
        data["id"] = self.next_id()
        data["token"] = f"token-{data['id']}"
        data["member"]["permissions"] = permissions
        data["data"] = {"custom_id": custom_id, "component_type": 2}
        data["message"]["id"] = message_id
        return data

    def modal_submit(self, custom_id: str, values: dict[str, str]) -> dict[str, Any]:
        data = payload("INTERACTION_CREATE.slash_command")
        data["type"] = 5
        data["id"] = self.next_id()
        data["token"] = f"token-{data['id']}"
        data["data"] = {
            "custom_id": custom_id,
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in values.items()
            ],
        }
        return data

    def reaction(
        self, message_id: str, emoji: str, *, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        data = payload("MESSAGE_REACTION_ADD")
        data["message_id"] = message_id
        data["emoji"] = {"id": None, "name": emoji}
        if user is not None:
            data["user_id"] = user["id"]
            data["member"]["user"] = user
        return data

    def reaction_removed(self, message_id: str, emoji: str) -> dict[str, Any]:
        data = self.reaction(message_id, emoji)
        data.pop("member", None)
        data.pop("message_author_id", None)
        data.pop("burst_colors", None)
        return data


def _application() -> dict[str, Any]:
    return {
        "id": APPLICATION_ID,
        "name": "Guildhall test",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": {**BOT_USER, "id": "53908232506183680", "username": "Mason", "bot": False},
        "team": None,
        "summary": "",
        "rpc_origins": [],
        "bot": BOT_USER,
    }


def _user(user_id: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": f"user{user_id[-4:]}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }


async def _read_body(request: web.Request) -> tuple[Any, list[str]]:
    """JSON bodies, and multipart ones (files) whose JSON is in `payload_json`."""
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        data: Any = None
        files: list[str] = []
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                data = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                files.append(part.filename or "")  # type: ignore[union-attr]
                await part.read()  # type: ignore[union-attr]
        return data, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
