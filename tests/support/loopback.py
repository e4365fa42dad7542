"""A loopback platform for outage tests: an HTTP fake and a Deliverer that calls it.

The fake binds 127.0.0.1 on an ephemeral port, records every request and
answers from a script (500, 429 with Retry-After, then 200s), so the
deliverer's retry path runs against real HTTP status codes.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web

from bot.delivery import CannotDeliver, Delivery, RetryLater
from domain.identity import Platform


@dataclass
class Received:
    outbox_id: int
    kind: str
    status: int
    body: dict[str, Any]


@dataclass
class LoopbackPlatform:
    """Answers POST /deliver from `script` (status, headers), then 200 forever."""

    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0
    url: str = ""
    _runner: web.AppRunner | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> LoopbackPlatform:
        app = web.Application()
        app.router.add_post("/deliver", self._deliver)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/deliver"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _deliver(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.delay:
            await asyncio.sleep(self.delay)
        status, headers = self.script.pop(0) if self.script else (200, {})
        self.received.append(Received(body["outbox_id"], body["kind"], status, body))
        if status == 200:
            return web.json_response({"id": f"{body.get('channel') or 'dm'}:m{next(self._ids)}"})
        return web.json_response({"error": "scripted"}, status=status, headers=headers)

    def delivered(self) -> list[int]:
        return [r.outbox_id for r in self.received if r.status == 200]


class HttpDeliverer:
    """A platform Deliverer over HTTP, mapping status codes as real adapters do."""

    def __init__(self, url: str, platform: Platform = Platform.CONSOLE) -> None:
        self.url = url
        self.platform = platform

    async def deliver(self, delivery: Delivery) -> str | None:
        body = {
            "outbox_id": delivery.outbox_id,
            "kind": delivery.kind,
            "target": str(delivery.target),
            "workspace": delivery.workspace_id,
            "channel": delivery.channel_id or delivery.channel_name,
            "user": delivery.user_id,
            "text": delivery.reply.text,
            "mentions": [dict(m.accounts) for m in delivery.reply.mentions],
        }
        timeout = aiohttp.ClientTimeout(total=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(self.url, json=body) as response,
        ):
            if response.status == 429:
                after = float(response.headers.get("Retry-After", "1"))
                raise RetryLater("rate limited", timedelta(seconds=after))
            if response.status >= 500:
                raise RetryLater(f"platform error {response.status}")
            if response.status >= 400:
                raise CannotDeliver(f"refused with {response.status}")
            data = await response.json()
            return str(data["id"]) if delivery.target == "channel" else None


def ids(outcomes: Iterable[Any]) -> list[int]:
    return [o.outbox_id for o in outcomes]
