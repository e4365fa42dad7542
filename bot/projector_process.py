"""`guildhall project`: the projector in a process of its own (PostgreSQL).

Every command and the projector share one event loop, and Python runs it on
one core at a time: under load the projector (as much CPU as the commands
themselves) waits behind 32 callers' statements, and its lag grows past a
second on PostgreSQL. In a process of its own it takes the machine's second
core. Batches are claimed with FOR UPDATE SKIP LOCKED and each commits a
NOTIFY of the rows it applied, so the process that logged them settles its
readers on it (`storage.projector.Projector.elsewhere`) and wakes its
deliverer for the announcements the batch stored.

`guildhall run` starts and supervises one (`ProjectorProcess`) when
`GUILDHALL_PROJECTOR_PROCESS` is set; the benchmark does with
`--projector-process`. SQLite has one writer: its projector stays in the
process that holds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Mapping

from bot.app import build_app, clock_for
from bot.settings import Settings
from domain.core.config import CommunityConfig
from storage.engine import normalize_url

log = logging.getLogger(__name__)

READY = "projecting"
"""What the process prints on stdout once it listens and has taken the backlog in hand."""

NEEDS_POSTGRESQL = (
    "guildhall project: SQLite has one writer process, so its projector runs inside"
    " `guildhall run`; a projector process needs PostgreSQL"
)

START_SECONDS = 60.0
"""How long `guildhall run` waits for it to listen before applying activities itself."""

PACE_SECONDS = 0.02
"""The child's pace between batches: shorter than in a process of commands
(`storage.projector.PACE_SECONDS`), as a batch here takes no time from them.
Measured (bench --projector-process, two runs each, lag p99 of /checkin, give,
vote): 50 ms 300-464 ms; 20 ms 205-342 ms; 10 ms 155-287 ms with 5-10% more
CPU per operation; throughput the same within noise."""

RESTART_SECONDS = (0.5, 30.0)
"""First and longest wait before starting a projector process that ended (doubling)."""


async def project(
    settings: Settings,
    config: CommunityConfig,
    *,
    stop: asyncio.Event | None = None,
    with_parent: bool = False,
) -> int:
    """Apply the activity log until SIGTERM/SIGINT (or `stop`); 2 on SQLite.

    `with_parent` (`guildhall project --with-parent`, as `ProjectorProcess`
    starts it): also stop when stdin closes, which is when the process that
    started it ends, even SIGKILLed, so a restarted `guildhall run` never
    finds an orphan beside its new projector.
    """
    if normalize_url(settings.database_url).startswith("sqlite"):
        print(NEEDS_POSTGRESQL, file=sys.stderr)
        return 2
    app = await build_app(
        settings.database_url,
        config,
        clock=clock_for(settings.clock_start),
        upgrade=False,  # the `guildhall run` that starts it (or `db upgrade`) migrates
        pool_size=settings.db_pool_size,
    )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    orphaned = loop.create_task(_parent_gone(stop)) if with_parent else None
    try:
        projector = app.uow.projector
        # One drain at a time: the whole process is the projector, and one drain
        # batches best (bench, 32 callers: 1 drain matched the in-process
        # projector's throughput at a quarter of its lag; 2 or 4 cost 5-15%).
        projector.workers = 1
        projector.pace = PACE_SECONDS
        projector.watch()  # LISTEN for every process's commits; the backlog at once
        if projector.listener is not None:
            await asyncio.wait_for(projector.listener.connected.wait(), 30)
        print(READY, flush=True)
        await stop.wait()
        log.info("projector process stopping: finishing the batch in progress")
        return 0
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        if orphaned is not None:
            orphaned.cancel()
        await app.close()  # closes the projector first: its running batch commits


async def _parent_gone(stop: asyncio.Event) -> None:
    """Set `stop` at end of file on stdin: the parent, which holds its other end, is gone."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    try:
        while await reader.read(1024):
            pass
        log.warning("the process that started this projector is gone: stopping")
        stop.set()
    finally:
        transport.close()


class ProjectorProcess:
    """Start `guildhall project` beside this process, restart it if it ends, stop it last."""

    def __init__(self, database_url: str, env: Mapping[str, str] | None = None) -> None:
        self._env = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.ready = asyncio.Event()

    @classmethod
    def for_settings(cls, settings: Settings) -> ProjectorProcess:
        """One for `guildhall run`: the same database, configuration, clock and logging."""
        env = {
            "GUILDHALL_CONFIG": str(settings.config_path),
            "GUILDHALL_LOG_LEVEL": settings.log_level,
            "GUILDHALL_LOG_FORMAT": settings.log_format,
            "GUILDHALL_DB_POOL_SIZE": str(settings.db_pool_size),
        }
        if settings.clock_start is not None:
            env["GUILDHALL_CLOCK"] = settings.clock_start.isoformat()
        return cls(settings.database_url, env)

    async def start(self) -> None:
        """Start it and return once it listens (raises TimeoutError if it never does)."""
        self._task = asyncio.get_running_loop().create_task(self._supervise(), name="projector")
        await asyncio.wait_for(self.ready.wait(), START_SECONDS)

    async def _supervise(self) -> None:
        delay = RESTART_SECONDS[0]
        while not self._stopping:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "project", "--with-parent",
                env=self._env,
                stdin=asyncio.subprocess.PIPE,  # closed when this process ends, however
                stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            self.starts += 1
            assert self.process.stdout is not None
            line = await self.process.stdout.readline()
            if line.decode().strip() == READY:
                self.ready.set()
                delay = RESTART_SECONDS[0]
            code = await self.process.wait()
            if self._stopping:
                return
            log.warning("projector process ended (%s); starting another in %.1f s", code, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RESTART_SECONDS[1])

    def cpu_seconds(self) -> float:
        """The running process's CPU time so far (the benchmark counts it per operation)."""
        if self.process is None:
            return 0.0
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self, grace: float = 10.0) -> None:
        """SIGTERM: it commits the batch in progress and exits; killed after `grace` s."""
        self._stopping = True
        process = self.process
        if process is not None and process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), grace)
            except TimeoutError:
                log.warning("projector process still running after %.0f s: killing it", grace)
                process.kill()
                await process.wait()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
