"""`guildhall run` wiring: Socket Mode over a websocket, HTTP mode on bot/web.py."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.settings import Settings
from bot.slack.run import service
from bot.web import WebServer
from tests.bot.slack.conftest import make_adapter
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi


async def test_socket_mode_serves_slash_commands_over_the_websocket(
    app: App, api: FakeSlackApi
) -> None:
    adapter = make_adapter(app, api, app_token="xapp-test", signing_secret=None)
    running = asyncio.create_task(adapter.run_socket_mode())
    try:
        await asyncio.wait_for(api.socket_connected.wait(), timeout=30)
        await api.socket_send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": TEAM_ID,
                    "channel_id": "C1",
                    "user_id": "U1",
                    "user_name": "alice",
                    "command": "/checkin",
                    "text": "",
                    "response_url": api.response_url("socket"),
                    "trigger_id": "9.9.socket",
                },
            }
        )
        ack = await asyncio.wait_for(api.socket_ack("env-1"), timeout=30)
        assert ack["envelope_id"] == "env-1"
        await adapter.drain()
        (response,) = api.called("respond")
        assert "checked in" in response["text"]
        assert api.called("apps.connections.open")
    finally:
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await running


def _settings(**env: str) -> Settings:
    return Settings(**env)  # type: ignore[arg-type]


async def test_http_mode_mounts_slack_events_and_socket_mode_opens_no_port(app: App) -> None:
    web = WebServer("127.0.0.1", 0)
    http = _settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    found = service(app, http, web)
    assert found is not None and found.deliverer.platform == "slack"
    assert [(m, p) for m, p, _ in web.routes] == [("POST", "/slack/events")]

    socket_web = WebServer("127.0.0.1", 0)
    socket = _settings(
        SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1", SLACK_API_URL="http://127.0.0.1:9/api/"
    )
    found = service(app, socket, socket_web)
    assert found is not None and found.serve is not None and socket_web.routes == []
    assert service(app, _settings(), socket_web) is None  # Slack not configured


def test_slack_without_a_mode_is_a_clear_configuration_error() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="SLACK_SIGNING_SECRET"):
        _settings(SLACK_BOT_TOKEN="xoxb-1")
