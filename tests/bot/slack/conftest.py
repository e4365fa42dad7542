"""A running Slack app over loopback HTTP, and a fake Web API that records calls.

`slack` is the real SlackAdapter (Bolt's AsyncApp) mounted by bot/web.py on
an aiohttp server at 127.0.0.1 on an ephemeral port. Requests are signed with
the real v0 scheme. The adapter's Web API client points at `FakeSlackApi`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import App
from bot.slack.adapter import SlackAdapter, SlackOptions
from bot.web import create_web_app
from tests.bot.slack.testcogs import Seen, add_test_cogs
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

SECRET = "test-signing-secret"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"


def payload(name: str) -> Any:
    """A recorded Slack payload from tests/fixtures/slack."""
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    return json.loads(raw) if name.endswith(".json") else raw


def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Answer:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class SlackHarness:
    """Send signed Slack requests to the running app and see what it did."""

    adapter: SlackAdapter
    api: FakeSlackApi
    server: TestServer
    http: aiohttp.ClientSession
    seen: Seen
    _triggers: int = 0
    _events: int = 0
    posted: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.server.make_url("/slack/events"))

    async def post(
        self, body: str, content_type: str, *, headers: dict[str, str] | None = None
    ) -> Answer:
        all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
        async with self.http.post(self.url, data=body.encode(), headers=all_headers) as resp:
            answer = Answer(resp.status, await resp.text())
        await self.adapter.drain()
        return answer

    def trigger(self) -> str:
        self._triggers += 1
        return f"{self._triggers}.111.trigger"

    async def command(
        self,
        slash: str,
        text: str = "",
        *,
        user: str = "U1",
        name: str = "alice",
        channel: str = "C1",
    ) -> Answer:
        form = {
            "token": "verification_token",
            "team_id": TEAM_ID,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": name,
            "command": slash,
            "text": text,
            "api_app_id": "A111",
            "is_enterprise_install": "false",
            "response_url": self.api.response_url(f"cmd{self._triggers}"),
            "trigger_id": self.trigger(),
        }
        return await self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")

    async def interactive(self, data: dict[str, Any]) -> Answer:
        body = urllib.parse.urlencode({"payload": json.dumps(data)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def press(
        self, button: dict[str, Any], *, message_ts: str, user: str = "U1", channel: str = "C1"
    ) -> Answer:
        data = payload("block_actions.json")
        data["user"] = {
            "id": user,
            "username": user.lower(),
            "name": user.lower(),
            "team_id": TEAM_ID,
        }
        data["team"] = {"id": TEAM_ID, "domain": "test"}
        data["channel"] = {"id": channel, "name": "general"}
        data["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        data["trigger_id"] = self.trigger()
        data["response_url"] = self.api.response_url("act")
        data["actions"] = [{**button, "block_id": "b", "action_ts": "1596530385.194939"}]
        return await self.interactive(data)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> Answer:
        self._events += 1
        data = {
            "token": "XXYYZZ",
            "team_id": TEAM_ID,
            "api_app_id": "A111",
            "event": event,
            "type": "event_callback",
            "authorizations": [
                {
                    "team_id": TEAM_ID,
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "event_id": event_id or f"Ev{self._events:06d}",
            "event_time": 1700000000,
        }
        headers = {}
        if retry is not None:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(data), "application/json", headers=headers)


def make_adapter(app: App, api: FakeSlackApi, **changes: Any) -> SlackAdapter:
    fields: dict[str, Any] = {
        "bot_token": "xoxb-test",
        "signing_secret": SECRET,
        "api_url": api.api_url,
        "community_name": "Test Guild",
        **changes,
    }
    options = SlackOptions(**fields)
    return SlackAdapter(app.runner, options)


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackApi]:
    fake = await FakeSlackApi().start()
    fake.add_user("U1", "alice")
    fake.add_user("U2", "bob")
    fake.add_user("UADMIN", "mia", admin=True)
    try:
        yield fake
    finally:
        await fake.close()


async def open_harness(app: App, api: FakeSlackApi, **changes: Any) -> SlackHarness:
    seen = add_test_cogs(app.registry)
    adapter = make_adapter(app, api, **changes)
    server = TestServer(create_web_app(adapter.routes()), host="127.0.0.1", port=0)
    await server.start_server()
    return SlackHarness(adapter, api, server, aiohttp.ClientSession(), seen)


@pytest.fixture
async def slack(app: App, api: FakeSlackApi) -> AsyncIterator[SlackHarness]:
    harness = await open_harness(app, api)
    try:
        yield harness
    finally:
        await harness.adapter.drain()
        await harness.http.close()
        await harness.server.close()


@pytest.fixture
async def prefixed_slack(app: App, api: FakeSlackApi) -> AsyncIterator[SlackHarness]:
    harness = await open_harness(app, api, command_prefix="gh-")
    try:
        yield harness
    finally:
        await harness.adapter.drain()
        await harness.http.close()
        await harness.server.close()
