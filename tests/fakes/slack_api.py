"""A loopback fake of the Slack Web API that records every call.

Serves `/api/<method>` (what `AsyncWebClient(base_url=...)` calls), the
upload URLs `files.getUploadURLExternal` hands out, and `response_url`s for
`respond()`. Bound to 127.0.0.1 on an ephemeral port so parallel runs never
collide. Tests queue failures (`fail`) to see how the adapter copes.

Posted messages are kept per channel (with their metadata) and served back by
conversations.history. A message's ts comes from the fake's `clock` (seconds
since the epoch; give it the test's FixedClock so `oldest` filters as Slack
would), else from a fixed 2023 epoch. `stall(method)` makes the next call do
its work but hold its answer back: a crash after Slack posted, before we heard.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T111"


@dataclass
class ApiCall:
    """One recorded request: the method (or "respond"/"upload") and its arguments."""

    method: str
    args: dict[str, Any]
    path: str = ""
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlackApi:
    """Answers like Slack, remembers what it was asked."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.calls: list[ApiCall] = []
        self.clock = clock
        self.messages: dict[str, list[dict[str, Any]]] = {}  # channel -> posted, oldest first
        self._stalls: dict[str, asyncio.Event] = {}
        self.stalled: dict[str, asyncio.Event] = {}  # set once a stalled call did its work
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, str] = {}  # name -> id, for conversations.list
        self._failures: dict[str, list[_Failure]] = {}
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""
        # Socket Mode: the app's websocket, and the acknowledgements it sent back.
        self.socket_connected = asyncio.Event()
        self.socket_acks: dict[str, dict[str, Any]] = {}
        self._socket_ack = asyncio.Condition()
        self._ws: web.WebSocketResponse | None = None

    # -- set-up ------------------------------------------------------------------

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"{self.url}/respond/{key}"

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        admin: bool = False,
        owner: bool = False,
        bot: bool = False,
        team_id: str = TEAM_ID,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id,
            "name": name.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_bot": bot,
            "profile": {"display_name": name, "real_name": name},
        }

    def fail(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with an error."""
        for _ in range(times):
            self._failures.setdefault(method, []).append(
                _Failure(status, {"ok": False, "error": error}, dict(headers or {}))
            )

    def stall(self, method: str) -> asyncio.Event:
        """Hold back the answer to the next `method` call (after doing its work) until set."""
        release = asyncio.Event()
        self._stalls[method] = release
        self.stalled[method] = asyncio.Event()
        return release

    # -- queries -----------------------------------------------------------------

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def answers(self, method: str) -> list[dict[str, Any]]:
        return [c.answer for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    # -- handlers ----------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                form = await request.post()
                args.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in ("blocks", "view", "files", "attachments"):
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        call = ApiCall(method, args, request.path)
        self.calls.append(call)
        queued = self._failures.get(method)
        if queued:
            failure = queued.pop(0)
            call.answer = failure.body
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        call.answer = self._answer(method, args)
        release = self._stalls.pop(method, None)
        if release is not None:
            self.stalled[method].set()
            await release.wait()
        return web.json_response(call.answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        match method:
            case "apps.connections.open":
                return {**ok, "url": self.url.replace("http://", "ws://") + "/link"}
            case "auth.test":
                return {
                    **ok,
                    "url": "https://test.slack.com/",
                    "team": "Test",
                    "team_id": TEAM_ID,
                    "user": "guildhall",
                    "user_id": BOT_USER_ID,
                    "bot_id": BOT_ID,
                }
            case "users.info":
                user = self.users.get(str(args.get("user")))
                return {**ok, "user": user} if user else {"ok": False, "error": "user_not_found"}
            case "chat.postMessage":
                return {**ok, "channel": args.get("channel"), "ts": self._post(args)}
            case "chat.update":
                return {**ok, "channel": args.get("channel"), "ts": args.get("ts")}
            case "conversations.history":
                return {**ok, **self._history(args)}
            case "chat.postEphemeral":
                return {**ok, "message_ts": f"1700000000.{next(self._ts):06d}"}
            case "conversations.open":
                return {**ok, "channel": {"id": "D" + str(args.get("users", "X"))}}
            case "conversations.list":
                return {
                    **ok,
                    "channels": [{"id": cid, "name": n} for n, cid in self.channels.items()],
                    "response_metadata": {"next_cursor": ""},
                }
            case "views.open" | "views.publish" | "views.update":
                return {**ok, "view": {"id": "V" + str(next(self._ts))}}
            case "files.getUploadURLExternal":
                file_id = f"F{next(self._files):04d}"
                return {**ok, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
            case "files.completeUploadExternal":
                files = args.get("files") or []
                return {
                    **ok,
                    "files": [{"id": f.get("id"), "title": f.get("title")} for f in files],
                }
        return ok

    def _new_ts(self) -> str:
        seconds = int(self.clock()) if self.clock is not None else 1700000000
        return f"{seconds}.{next(self._ts):06d}"

    def _post(self, args: dict[str, Any]) -> str:
        ts = self._new_ts()
        message: dict[str, Any] = {"type": "message", "ts": ts, "text": args.get("text", "")}
        if isinstance(args.get("metadata"), str):
            with contextlib.suppress(ValueError):
                args["metadata"] = json.loads(args["metadata"])
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        self.messages.setdefault(str(args.get("channel")), []).append(message)
        return ts

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first, after `oldest`, `limit` per page; metadata only when asked."""
        oldest = float(args.get("oldest") or 0)
        found = [
            m
            for m in reversed(self.messages.get(str(args.get("channel")), []))
            if float(m["ts"]) > oldest
        ]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = found[start : start + limit]
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        return {
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"type": "hello", "num_connections": 1})
        self.socket_connected.set()
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                data = json.loads(message.data)
                async with self._socket_ack:
                    self.socket_acks[str(data.get("envelope_id"))] = data
                    self._socket_ack.notify_all()
        return ws

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push an envelope to the connected app, as Slack does in Socket Mode."""
        assert self._ws is not None, "no Socket Mode connection"
        await self._ws.send_json(envelope)

    async def socket_ack(self, envelope_id: str) -> dict[str, Any]:
        """Wait for the app's acknowledgement of an envelope."""
        async with self._socket_ack:
            await self._socket_ack.wait_for(lambda: envelope_id in self.socket_acks)
            return self.socket_acks[envelope_id]

    async def _upload(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.calls.append(
            ApiCall("upload", {"file_id": request.match_info["file_id"], "size": len(body)})
        )
        return web.Response(text="OK - 200")

    async def _respond(self, request: web.Request) -> web.Response:
        args = await request.json()
        self.calls.append(ApiCall("respond", args, request.path))
        return web.Response(text="ok")
