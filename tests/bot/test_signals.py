"""SIGTERM to a real `guildhall run` mid-burst: every acknowledged Slack command is applied.

Slack never retries a request it got HTTP 200 for, so a command acknowledged
and then dropped by a stopping process is lost for good. The process here is
the real program (`python -m bot run`, Slack in HTTP mode against the loopback
fake of the Web API); the burst is signed `/checkin`s from forty members.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import urllib.parse
from pathlib import Path

import aiohttp
from sqlalchemy import select

from storage.checkin import CheckinRow
from storage.engine import create_database
from storage.identity import AccountRow
from tests.bot.slack.conftest import SECRET, sign
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = [f"U{n:03d}" for n in range(40)]
CLOCK = "2026-11-16T12:00:00+00:00"


class Process:
    """The running program; its log is read all along (a full pipe would block it)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.log: list[str] = []
        self.listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace")
            self.log.append(line)
            found = re.search(r"http: listening on 127\.0\.0\.1:(\d+)", line)
            if found and not self.listening.done():
                self.listening.set_result(int(found.group(1)))
        if not self.listening.done():
            self.listening.set_exception(AssertionError("exited before listening"))

    async def wait(self) -> tuple[int, str]:
        code = await self.proc.wait()
        await self._reader
        return code, "".join(self.log)


async def _start(database_url: str, api: FakeSlackApi, tmp_path: Path) -> tuple[Process, int]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "GUILDHALL_CONFIG": str(ROOT / "config.toml"),
        "GUILDHALL_CLOCK": CLOCK,
        "SLACK_BOT_TOKEN": "xoxb-fake",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api.api_url,
        "GUILDHALL_HTTP_HOST": "127.0.0.1",
        "GUILDHALL_HTTP_PORT": "0",
        "GUILDHALL_SHUTDOWN_SECONDS": "20",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    running = Process(proc)
    async with asyncio.timeout(120):
        return running, await running.listening


async def _checkin(http: aiohttp.ClientSession, api: FakeSlackApi, port: int, user: str) -> bool:
    """Send one signed /checkin; True when Slack would count it acknowledged (HTTP 200)."""
    body = urllib.parse.urlencode(
        {
            "team_id": TEAM_ID,
            "channel_id": "C1",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/checkin",
            "text": "",
            "response_url": api.response_url(user),
            "trigger_id": f"{user}.1.trigger",
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    try:
        async with http.post(
            f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers
        ) as resp:
            await resp.read()
            return resp.status == 200
    except aiohttp.ClientError:
        return False  # refused: the process stopped accepting; Slack would show an error


async def _checked_in(database_url: str) -> set[str]:
    db = create_database(database_url, pool_size=1)
    try:
        async with db.reader.connect() as conn:
            rows = await conn.execute(
                select(AccountRow.user_id).join(
                    CheckinRow, CheckinRow.member_id == AccountRow.member_id
                )
            )
            return {r[0] for r in rows}
    finally:
        await db.dispose()


async def test_sigterm_mid_burst_applies_every_acknowledged_command_and_exits_0(
    database_url: str, tmp_path: Path
) -> None:
    api = await FakeSlackApi().start()
    for user in MEMBERS:
        api.add_user(user, user.lower())
    proc, port = await _start(database_url, api, tmp_path)
    try:
        acked: list[str] = []
        async with aiohttp.ClientSession() as http:

            async def one(user: str) -> None:
                if await _checkin(http, api, port, user):
                    acked.append(user)

            burst = [asyncio.create_task(one(u)) for u in MEMBERS]
            async with asyncio.timeout(60):
                while len(acked) < len(MEMBERS) // 2:  # noqa: ASYNC110 - counting answers
                    await asyncio.sleep(0.005)
            proc.proc.send_signal(signal.SIGTERM)  # mid-burst: half answered, the rest in flight
            await asyncio.gather(*burst)
        async with asyncio.timeout(30):
            code, log = await proc.wait()
    finally:
        if proc.proc.returncode is None:
            proc.proc.kill()
            await proc.wait()
        await api.close()
    assert code == 0, log
    applied = await _checked_in(database_url)
    assert set(acked) <= applied, (len(acked), len(applied), log[-2000:])
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    assert len(acked) >= len(MEMBERS) // 2
