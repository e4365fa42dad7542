"""An app whose AI is the real LangChain/openai client pointed at the loopback fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import App, build_app
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.fakes.openai_server import FakeOpenAI, chat_model_for


@asynccontextmanager
async def app_with_ai(
    database_url: str,
    config: CommunityConfig,
    clock: FixedClock,
    openai_fake: FakeOpenAI,
    *,
    max_retries: int,
    pool_size: int = 10,
    request_seconds: float = 2.0,
) -> AsyncIterator[App]:
    """The test app (database already migrated) with `openai_fake` as its chat model.

    `request_seconds` is the client's per-request timeout; `pool_size` the
    database's (on PostgreSQL also how many units of work run at once).
    """
    app = await build_app(
        database_url,
        config,
        clock=clock,
        upgrade=False,
        pool_size=pool_size,
        chat_model=chat_model_for(openai_fake, max_retries=max_retries, timeout=request_seconds),
    )
    try:
        yield app
    finally:
        await app.close()
