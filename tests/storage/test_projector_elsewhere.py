"""A projector elsewhere: the process that logs activities hears which were applied.

`guildhall project` applies the activity log in a process of its own on
PostgreSQL (`bot.projector_process`). The process that committed the
activities (`Projector.elsewhere`) applies nothing itself, yet a member's read
still waits for exactly their own writes, a missed notification is made up
from the database, and if nobody applies its activities it takes them over.
Two `build_app` on one database stand for two processes where a real one is
not the point; one test starts the real `guildhall project`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import App, build_app
from bot.projector_process import NEEDS_POSTGRESQL, READY, ProjectorProcess, project
from bot.settings import Settings
from domain.core.config import CommunityConfig
from storage import activity_log, projector
from tests.conftest import invoke
from tests.storage.test_pg_listen import NEVER, eventually, listening, postgresql_only
from tests.storage.test_projector import member, pending, xp

WITHIN = 20.0  # seconds a wait may take before the test fails (nothing asserts speed)


async def logging_only(database_url: str, app: App) -> App:
    """Process A: runs commands; its projector runs elsewhere and only hears of batches."""
    a = await build_app(database_url, CommunityConfig(), clock=app.clock, upgrade=False)
    a.uow.settle_after_commit = False
    a.uow.projector.elsewhere = True
    return a


def following(app: App, interval: float) -> None:
    """This app logs activities and follows what a projector elsewhere applies."""
    app.uow.settle_after_commit = False
    app.uow.projector.elsewhere = True
    app.uow.projector.watch(interval=interval)


@given(st.sets(st.integers(min_value=1, max_value=10**12), min_size=1, max_size=300))
def test_applied_ids_survive_their_notification(ids: set[int]) -> None:
    """What a batch notifies reads back as the same ids, and stays within NOTIFY's payload."""
    written = activity_log.id_ranges(list(ids))
    assert activity_log.parse_ranges(written) == sorted(ids)
    assert len(written) < 8000


def test_a_batch_of_consecutive_rows_is_one_range() -> None:
    assert activity_log.id_ranges([7, 3, 4, 5, 9, 10]) == "3-5,7,9-10"


async def test_an_unreadable_notification_is_looked_up_instead(
    app: App, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A payload this version cannot read settles nothing; A asks the database instead."""
    app.uow.settle_after_commit = False
    a = await logging_only(database_url, app)
    try:
        ana = await member(app, "ana")
        await invoke(a, "ana", "checkin")
        await app.uow.projector.drain()  # B applies A's check-in; A hears nothing of it
        with caplog.at_level(logging.WARNING, "storage.projector"):
            a.uow.projector.heard("12-x,!")
        assert "unreadable" in caplog.text and a.uow.projector.unsettled() == {ana.id}
        a.uow.projector.watch(interval=NEVER)  # the look-up the payload asked for, at once
        await asyncio.wait_for(a.uow.projector.settle(ana.id), WITHIN)
        assert a.uow.projector.batches == 0
    finally:
        await a.close()


async def test_a_read_waits_for_the_batch_applied_in_another_process(
    app: App, engine_name: str, database_url: str
) -> None:
    """A's /profile after A's /checkin shows the XP B applied; A applied nothing itself."""
    postgresql_only(engine_name)
    app.uow.settle_after_commit = False
    app.uow.projector.watch(interval=NEVER)  # B: the projector
    a = await logging_only(database_url, app)
    announced: list[bool] = []
    a.uow.projector.on_announce.append(lambda: announced.append(True))
    try:
        a.uow.projector.watch(interval=NEVER)  # only a NOTIFY tells A
        await listening(a)
        ana = await member(a, "ana")
        await invoke(a, "ana", "checkin")
        await asyncio.wait_for(a.uow.projector.settle(ana.id), WITHIN)
        gained = await xp(a, ana)
        assert gained > 0
        fields = {f.name: f.value for f in (await invoke(a, "ana", "profile")).fields}
        assert str(gained) in " ".join(fields.values())
        await asyncio.wait_for(a.uow.projector.drain(), WITHIN)
        assert a.uow.projector.batches == 0 and app.uow.projector.batches > 0
        assert a.uow.projector.lags_ms, "A measures the lag of what B applied"
        # The first check-in's unlock is announced by B's batch: A's deliverer is woken.
        assert announced
    finally:
        await a.close()
        await app.uow.projector.unwatch()


async def test_a_missed_notification_is_made_up_from_the_database(
    app: App, engine_name: str, database_url: str
) -> None:
    """B applied A's check-in while A was not listening: A finds out at once when it listens."""
    postgresql_only(engine_name)
    app.uow.settle_after_commit = False
    a = await logging_only(database_url, app)
    try:
        ana = await member(app, "ana")  # enrolled by B (A's first read would wait for B)
        await invoke(a, "ana", "checkin")
        assert a.uow.projector.unsettled() == {ana.id}
        await app.uow.projector.drain()  # B applies, A hears nothing
        assert await pending(app) == 0
        a.uow.projector.watch(interval=NEVER)  # listening begins with a look at the log
        await asyncio.wait_for(a.uow.projector.settle(ana.id), WITHIN)
        assert a.uow.projector.batches == 0
    finally:
        await a.close()


async def test_activities_nobody_applies_are_taken_over(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The projector process is down: after TAKEOVER_SECONDS this process applies them itself."""
    monkeypatch.setattr(projector, "TAKEOVER_SECONDS", 0.3)
    following(app, interval=0.05)
    try:
        ana = await member(app, "ana")
        with caplog.at_level(logging.WARNING, "storage.projector"):
            await invoke(app, "ana", "checkin")
            await asyncio.wait_for(app.uow.projector.settle(ana.id), WITHIN)
        assert await xp(app, ana) > 0 and await pending(app) == 0
        assert app.uow.projector.batches > 0
        assert "wait for the projector process" in caplog.text
    finally:
        await app.uow.projector.unwatch()


async def test_guildhall_project_applies_what_this_process_logs(
    app: App, engine_name: str, database_url: str
) -> None:
    """The real `guildhall project` beside this process; SIGTERM ends it cleanly."""
    postgresql_only(engine_name)
    following(app, interval=NEVER)
    projecting = ProjectorProcess(database_url, {"GUILDHALL_CLOCK": app.clock.now().isoformat()})
    try:
        await listening(app)
        await projecting.start()
        ana = await member(app, "ana")
        await invoke(app, "ana", "checkin")
        await asyncio.wait_for(app.uow.projector.settle(ana.id), WITHIN)
        assert await xp(app, ana) > 0
        assert await eventually(lambda: _none_pending(app))
        assert app.uow.projector.batches == 0
        assert projecting.cpu_seconds() > 0
    finally:
        await projecting.stop()
        await app.uow.projector.unwatch()
    assert projecting.process is not None and projecting.process.returncode == 0
    assert projecting.starts == 1


async def _none_pending(app: App) -> bool:
    return await pending(app) == 0


async def test_guildhall_project_refuses_sqlite(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/g.db")
    assert await project(settings, CommunityConfig()) == 2
    assert NEEDS_POSTGRESQL in capsys.readouterr().err


async def test_guildhall_project_stops_when_the_process_that_started_it_is_gone(
    engine_name: str, database_url: str
) -> None:
    """Its stdin closes when its parent ends, even SIGKILLed: no orphan outlives a restart."""
    postgresql_only(engine_name)
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "project", "--with-parent",
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert child.stdout is not None and child.stdin is not None
        line = await asyncio.wait_for(child.stdout.readline(), WITHIN)
        assert line.decode().strip() == READY
        child.stdin.close()  # what the kernel does to the pipe when the parent dies
        assert await asyncio.wait_for(child.wait(), WITHIN) == 0
        assert child.stderr is not None
        assert b"started this projector is gone" in await child.stderr.read()
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
