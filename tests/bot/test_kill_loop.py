"""`kill -9` a real `guildhall run` again and again as it delivers: nothing lost or doubled.

The program (`python -m bot run`, Discord and Slack configured against the
loopback fakes) delivers announcements stored for one community that is on
both platforms, so every announcement is one Discord post and one Slack post.
The test kills it with SIGKILL at the worst moments and starts it again:
half the kills land while Slack has stored a post but not yet answered (the
fake holds the answer back), the others just after a Discord post was made.
At the end every announcement must be in each channel exactly once.

The figures in README.md come from this loop run with more announcements and
kills: `KILL_LOOP_ANNOUNCEMENTS=200 KILL_LOOP_KILLS=25 pytest tests/bot/test_kill_loop.py`.

Time: each process lives on `GUILDHALL_CLOCK`, a clock started where the test
says; the test keeps one timeline (a fixed start plus the event loop's
monotonic time) shared with the Slack fake's message timestamps, and moves it
on by `claim_seconds` at each restart, as if the restart had taken that long,
so a dead process's claims have expired when the next one starts.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.app import build_app
from cogs.kit import Reply
from domain.core.announcements import Announcement
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import IdentityRepository, Platform
from storage.engine import create_database
from tests.conftest import START
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

ROOT = Path(__file__).resolve().parents[2]
ANNOUNCEMENTS = int(os.environ.get("KILL_LOOP_ANNOUNCEMENTS", "30"))
KILLS = int(os.environ.get("KILL_LOOP_KILLS", "4"))
CLAIM_SECONDS = 10  # the smallest claim config.toml allows: restarts skip ahead by it
SLACK_GENERAL = "CGENERAL"


@dataclass
class Timeline:
    """The time every process and the Slack fake share: START + monotonic elapsed + skips."""

    loop_time: Callable[[], float]
    origin: float
    skipped: float = 0.0

    def now(self) -> datetime:
        return START + timedelta(seconds=self.loop_time() - self.origin + self.skipped)

    def skip(self, seconds: float) -> None:
        self.skipped += seconds


class Program:
    """One `python -m bot run`; its log is read all along (a full pipe would block it)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.log: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            self.log.append(raw.decode(errors="replace"))

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._reader

    async def stop(self) -> int:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(60):
            code = await self.proc.wait()
        await self._reader
        return code


def config_file(tmp_path: Path) -> Path:
    """config.toml with the shortest claim, so a dead process's rows come back soon."""
    body = (ROOT / "config.toml").read_text()
    body = re.sub(r"(?m)^claim_seconds = \d+", f"claim_seconds = {CLAIM_SECONDS}", body)
    body = re.sub(r"(?m)^poll_seconds = \d+", "poll_seconds = 1", body)
    path = tmp_path / "config.toml"
    path.write_text(body)
    return path


async def start(
    database_url: str, discord: FakeDiscord, slack: FakeSlackApi, clock: Timeline, config: Path
) -> Program:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "GUILDHALL_CONFIG": str(config),
        "GUILDHALL_CLOCK": clock.now().isoformat(),
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_API_BASE_URL": discord.api_base,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "SLACK_BOT_TOKEN": "xoxb-fake",
        "SLACK_SIGNING_SECRET": "kill-loop-secret",
        "SLACK_API_URL": slack.api_url,
        "GUILDHALL_HTTP_HOST": "127.0.0.1",
        "GUILDHALL_HTTP_PORT": "0",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=config.parent,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    return Program(proc)


async def announce(database_url: str, discord: FakeDiscord, count: int) -> None:
    """One community on a Discord guild and a Slack workspace; `count` announcements for it."""
    app = await build_app(database_url, CommunityConfig(), clock=FixedClock(START), upgrade=False)
    try:
        async with app.uow() as uow:
            people = uow.get(IdentityRepository)
            community = await people.create_community(
                Platform.DISCORD, str(discord.guild["id"]), "Both", "UTC", START
            )
            await people.link_workspace(community.id, Platform.SLACK, TEAM_ID)  # type: ignore[attr-defined]
            for n in range(count):
                uow.announce(
                    Announcement(
                        community_id=community.id,
                        kind="news",
                        dedupe_key=f"kill-loop:{n}",
                        payload=Reply(text=f"kill-loop news {n}").to_dict(),
                    )
                )
            await uow.commit()
    finally:
        await app.close()


def delivered(discord: FakeDiscord, slack: FakeSlackApi) -> tuple[Counter[str], Counter[str]]:
    """How many times each announcement appears in each platform's channel."""
    found = re.compile(r"kill-loop news (\d+)\b")
    on_discord: Counter[str] = Counter()
    for message in discord.created:
        if m := found.search(str(message)):
            on_discord[m.group(1)] += 1
    on_slack: Counter[str] = Counter()
    for message in slack.messages.get(SLACK_GENERAL, []):
        if m := found.search(str(message.get("text"))):
            on_slack[m.group(1)] += 1
    return on_discord, on_slack


async def pending(database_url: str) -> int:
    db = create_database(database_url, pool_size=1)
    try:
        async with db.reader.connect() as conn:
            query = text("SELECT count(*) FROM outbox WHERE status = 'pending'")
            return int((await conn.execute(query)).scalar_one())
    finally:
        await db.dispose()


async def until(check: Callable[[], bool], seconds: float, program: Program, what: str) -> None:
    try:
        async with asyncio.timeout(seconds):
            while not check():  # noqa: ASYNC110 - polling the fakes' records
                await asyncio.sleep(0.005)
    except TimeoutError:
        log = "".join(program.log)[-3000:]
        raise AssertionError(f"timed out waiting for {what}:\n{log}") from None


async def test_repeated_kill_9_while_delivering_loses_and_doubles_nothing(
    database_url: str, tmp_path: Path
) -> None:
    loop = asyncio.get_running_loop()
    clock = Timeline(loop.time, loop.time())
    discord = FakeDiscord()
    await discord.start()
    slack = await FakeSlackApi(clock=lambda: clock.now().timestamp()).start()
    slack.channels = {"general": SLACK_GENERAL}
    config = config_file(tmp_path)
    await announce(database_url, discord, ANNOUNCEMENTS)
    program: Program | None = None
    kills = 0
    try:
        for kills in range(1, KILLS + 1):
            program = await start(database_url, discord, slack, clock, config)
            if kills % 2:  # the worst moment on Slack: it has the message, we have no answer
                release = slack.stall("chat.postMessage")
                await until(slack.stalled["chat.postMessage"].is_set, 120, program, "a Slack post")
                await program.kill()
                release.set()
            else:  # just after a post (Discord's, mostly), before the outbox records it
                before = len(discord.created) + len(slack.messages.get(SLACK_GENERAL, []))
                await until(
                    lambda b=before: (
                        len(discord.created)  # type: ignore[misc]
                        + len(slack.messages.get(SLACK_GENERAL, []))
                        > b
                    ),
                    120,
                    program,
                    "a post",
                )
                await program.kill()
            clock.skip(CLAIM_SECONDS)  # the restart "took" a claim's lifetime
        program = await start(database_url, discord, slack, clock, config)
        async with asyncio.timeout(300):
            while await pending(database_url):  # noqa: ASYNC110 - polling the database
                await asyncio.sleep(0.2)
        assert await program.stop() == 0, "".join(program.log)[-3000:]
    finally:
        if program is not None:
            await program.kill()
        await slack.close()
        await discord.stop()

    on_discord, on_slack = delivered(discord, slack)
    wanted = {str(n) for n in range(ANNOUNCEMENTS)}
    lost = len(wanted - set(on_discord)) + len(wanted - set(on_slack))
    doubled = sum(c - 1 for c in on_discord.values()) + sum(c - 1 for c in on_slack.values())
    print(f"{ANNOUNCEMENTS} announcements, {kills} kills: {lost} lost, {doubled} doubled")
    assert (lost, doubled) == (0, 0), (sorted(on_discord.items()), sorted(on_slack.items()))
