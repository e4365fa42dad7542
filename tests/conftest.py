"""Shared fixtures: a migrated database per test on SQLite and, when
TEST_DATABASE_URL is set, on PostgreSQL too; a wired app with a fixed clock.

SQLite: migrations run once into a template file that each test copies.
PostgreSQL: migrations run once per session on a clean schema; each test
starts from truncated tables. If TEST_DATABASE_URL is set but the server is
unreachable, the PostgreSQL tests fail (they never silently skip).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import App, build_app
from cogs.kit import Actor, Invocation, Place, Reply
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from storage import migrate
from storage.base import Base
from storage.engine import create_database
from storage.uow import SqlUnitOfWorkFactory
from tests.fakes.openai_server import FakeOpenAI

SHARED_PG_URL = os.environ.get("TEST_DATABASE_URL")


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own database (`test_gw0`, `test_gw1`…).

    Every PostgreSQL test truncates the tables it starts from, so two workers
    sharing one database would wipe each other's rows.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base, _, name = url.rpartition("/")
    return f"{base}/{name}_{worker}"


PG_URL = _worker_database(SHARED_PG_URL)
ENGINES = ["sqlite", *(["postgresql"] if PG_URL else [])]
START = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # a Monday, noon UTC


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        metafunc.parametrize("engine_name", ENGINES)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"

    async def make() -> None:
        db = create_database(f"sqlite+aiosqlite:///{path}")
        await migrate.upgrade(db.writer)
        await db.dispose()

    asyncio.run(make())
    return path


_pg_ready = False


async def _prepare_pg(url: str) -> None:
    global _pg_ready
    if not _pg_ready and url != SHARED_PG_URL:
        await _create_worker_database(url)
    db = create_database(url, pool_size=2)
    try:
        if not _pg_ready:
            async with db.writer.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await migrate.upgrade(db.writer)
            _pg_ready = True
        else:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            async with db.writer.begin() as conn:
                await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await db.dispose()


async def _create_worker_database(url: str) -> None:
    """CREATE DATABASE for this worker (once) through the shared test database."""
    assert SHARED_PG_URL is not None
    name = url.rpartition("/")[2]
    admin = create_database(SHARED_PG_URL, pool_size=1)
    try:
        async with admin.writer.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            exists = await conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if exists.first() is None:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()


@pytest.fixture
async def database_url(engine_name: str, sqlite_template: Path, tmp_path: Path) -> str:
    if engine_name == "sqlite":
        path = tmp_path / "guildhall.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    assert PG_URL is not None
    await _prepare_pg(PG_URL)
    return PG_URL


@pytest.fixture
async def openai_fake() -> AsyncIterator[FakeOpenAI]:
    """An OpenAI-compatible server on 127.0.0.1 (`tests/fakes/openai_server.py`)."""
    server = FakeOpenAI()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture(autouse=True)
def _projections_applied_after_each_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every app a test builds applies projections right after each commit.

    In production the projector runs after the commit and only the acting
    member's reads wait for it; a test that builds its own app and reads XP,
    boards or counters at once would otherwise race it. Projector tests turn
    this off on their app.
    """
    original = SqlUnitOfWorkFactory.__init__

    def settling(self: SqlUnitOfWorkFactory, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.settle_after_commit = True

    monkeypatch.setattr(SqlUnitOfWorkFactory, "__init__", settling)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig()


@pytest.fixture
async def app(database_url: str, config: CommunityConfig, clock: FixedClock) -> AsyncIterator[App]:
    application = await build_app(database_url, config, clock=clock, upgrade=False)
    # Derived state (XP, boards, unlocks) is applied right after each commit, so
    # a test may read it at once; tests of the projector itself turn this off.
    application.uow.settle_after_commit = True
    try:
        yield application
    finally:
        await application.close()


def actor(name: str, *, mod: bool = False, platform: Platform = Platform.CONSOLE) -> Actor:
    return Actor(platform, "demo", name.lower(), name, is_moderator=mod)


async def invoke(
    app: App,
    who: str,
    command: str,
    text: str = "",
    *,
    mod: bool = False,
    key: str | None = None,
) -> Reply:
    """Run a command as `who` through the real runner, as an adapter would."""
    reply = await app.runner.dispatch(
        Invocation(
            actor=actor(who, mod=mod),
            key=key or uuid.uuid4().hex,
            place=Place(channel_id="console"),
            command=command,
            text=text,
        )
    )
    assert reply is not None
    return reply
