"""/healthz says whether the database answers; logs can be one JSON object per line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app
from bot.cli import log_handler
from bot.metrics import Observability
from bot.scheduler import Background
from bot.web import create_web_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.conftest import invoke


async def _client(app: App, db_wait: float = 2.0) -> TestClient[Any, Any]:
    background = Background(app, [])
    server = TestServer(create_web_app(Observability(app, background, timeout=db_wait).routes()))
    client = TestClient(server)
    await client.start_server()
    return client


@pytest.fixture
async def unreachable(clock: FixedClock) -> AsyncIterator[App]:
    # Nothing listens on port 1: every connection attempt is refused at once.
    app = await build_app(
        "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere",
        CommunityConfig(),
        clock=clock,
        upgrade=False,
    )
    try:
        yield app
    finally:
        await app.close()


async def test_healthz_is_503_when_the_database_is_unreachable(unreachable: App) -> None:
    client = await _client(unreachable)
    try:
        resp = await client.get("/healthz")
        body = await resp.json()
        assert resp.status == 503 and body["ok"] is False
        assert body["database"].startswith("unreachable")
        metrics = await client.get("/metrics")  # still served: the counters are in memory
        assert metrics.status == 200
    finally:
        await client.close()


async def test_healthz_reports_the_lease_age_and_metrics_count_refusals(
    app: App, clock: FixedClock
) -> None:
    background = Background(app, [])
    assert await background.scheduler.heartbeat()
    await invoke(app, "ana", "points give", "@nobody 5")  # refused: nobody is not a member
    await invoke(app, "ana", "checkin")
    client = await _client(app, db_wait=60)  # a busy test machine is not an outage
    try:
        body = await (await client.get("/healthz")).json()
        assert body["ok"] is True and body["scheduler"]["lease_age_seconds"] == 0.0, body
        scraped = await (await client.get("/metrics")).text()
    finally:
        await client.close()
    assert 'command="points give",outcome="refused",platform="console"} 1.0' in scraped
    assert 'command="checkin",outcome="ok",platform="console"} 1.0' in scraped


def test_json_log_lines_are_objects_with_the_error_reference() -> None:
    handler = log_handler("json")
    out = io.StringIO()
    handler.setStream(out)  # type: ignore[attr-defined]  # a StreamHandler, as returned
    logger = logging.getLogger("guildhall.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("unhandled error ref=%s", "a1b2c3", extra={"ref": "a1b2c3"})
    finally:
        logger.removeHandler(handler)
    (line,) = out.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["ref"] == "a1b2c3"
    assert record["message"] == "unhandled error ref=a1b2c3" and record["logger"]
