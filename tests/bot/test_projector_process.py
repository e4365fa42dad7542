"""`guildhall run` with GUILDHALL_PROJECTOR_PROCESS: the projector runs beside it.

PostgreSQL only (SQLite's projector must stay with its one writer). The
composed process starts `guildhall project`, hears each batch it applies
(a member's read right after their command shows what it derived), and
stops it last on shutdown; without the setting nothing is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import pytest

from bot.app import Guildhall, compose
from bot.settings import Settings
from domain.core.config import CommunityConfig
from tests.conftest import invoke
from tests.storage.test_pg_listen import postgresql_only
from tests.storage.test_projector import member, xp

CLOCK = "2026-11-18T09:00:00+00:00"  # both processes' clocks start here (GUILDHALL_CLOCK)


def settings_for(database_url: str, *, projector_process: bool) -> Settings:
    return Settings(
        _env_file=None,
        DATABASE_URL=database_url,
        GUILDHALL_PROJECTOR_PROCESS=projector_process,
        GUILDHALL_CLOCK=CLOCK,
        GUILDHALL_HTTP_HOST="127.0.0.1",
        GUILDHALL_HTTP_PORT=0,
    )


@contextlib.asynccontextmanager
async def serving(database_url: str, *, projector_process: bool) -> AsyncIterator[Guildhall]:
    """A composed `guildhall run` serving until the block ends; it must stop cleanly."""
    settings = settings_for(database_url, projector_process=projector_process)
    system = await compose(settings, CommunityConfig())
    stop = asyncio.Event()
    task = asyncio.create_task(system.serve(stop))
    try:
        for _ in range(600):  # the child is up once serve() has handed the projector over
            handed_over = system.app.uow.projector.elsewhere
            if handed_over or task.done() or not projector_process or system.app.database.is_sqlite:
                break
            await asyncio.sleep(0.05)
        yield system
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 60) == 0
        await system.app.close()


async def check_in_and_read_profile(system: Guildhall) -> tuple[int, str]:
    """Ana checks in, then reads /profile at once: her XP as stored, and what she was shown."""
    await invoke(system.app, "ana", "checkin")
    profile = await invoke(system.app, "ana", "profile")
    gained = await xp(system.app, await member(system.app, "ana"))
    return gained, " ".join(f.value for f in profile.fields)


async def test_guildhall_run_applies_activities_in_a_process_of_its_own(
    engine_name: str, database_url: str
) -> None:
    postgresql_only(engine_name)
    async with serving(database_url, projector_process=True) as system:
        assert system.projecting is not None and system.app.uow.projector.elsewhere
        gained, profile = await check_in_and_read_profile(system)
        assert gained > 0 and str(gained) in profile
        assert system.app.uow.projector.batches == 0  # all of it applied by the child
    process = system.projecting.process if system.projecting else None
    assert process is not None and process.returncode == 0  # stopped cleanly, last


async def test_without_the_setting_the_projector_stays_in_process(
    engine_name: str, database_url: str
) -> None:
    postgresql_only(engine_name)
    async with serving(database_url, projector_process=False) as system:
        gained, _ = await check_in_and_read_profile(system)
        assert gained > 0
        assert system.projecting is None and not system.app.uow.projector.elsewhere
        assert system.app.uow.projector.batches > 0


async def test_on_sqlite_the_setting_is_refused_with_a_warning(
    engine_name: str, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite's one writer keeps its projector in `guildhall run`; the operator is told."""
    if engine_name != "sqlite":
        pytest.skip("PostgreSQL starts the process (the tests above)")
    with caplog.at_level(logging.WARNING, "bot.app"):
        async with serving(database_url, projector_process=True) as system:
            gained, _ = await check_in_and_read_profile(system)
            assert gained > 0
    assert system.projecting is None and not system.app.uow.projector.elsewhere
    assert "GUILDHALL_PROJECTOR_PROCESS needs PostgreSQL" in caplog.text
