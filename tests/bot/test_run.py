"""`guildhall run` end to end: the real `run()` with Discord and Slack against loopback fakes.

Commands arrive the way each platform sends them (a Discord INTERACTION_CREATE
over the gateway, a Slack slash command over Socket Mode); what members see in
the community's channels is whatever `run()` wired to deliver the outbox. A
proposal's card must reach #proposals on both platforms, and its result (posted
by the scheduled close job) too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.app import Guildhall
from bot.discord.endpoints import point_at
from bot.run import run
from bot.settings import Settings
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

DISCORD_PROPOSALS = "645027906669510999"
SLACK_PROPOSALS = "CPROPOSALS"
COMMANDS_OK = 'guildhall_commands_total{command="proposal create",outcome="ok"'


@dataclass
class Running:
    """A `run()` in progress, its fakes and the composed process it started."""

    discord: FakeDiscord
    slack: FakeSlackApi
    system: Guildhall
    stop: asyncio.Event
    task: asyncio.Task[int]


def settings_for(database_url: str, discord: FakeDiscord, slack: FakeSlackApi) -> Settings:
    env: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_API_BASE_URL": discord.api_base,
        "DISCORD_GATEWAY_URL": discord.gateway_url,
        "SLACK_BOT_TOKEN": "xoxb-fake",
        "SLACK_APP_TOKEN": "xapp-fake",
        "SLACK_API_URL": slack.api_url,
        "GUILDHALL_HTTP_HOST": "127.0.0.1",
        "GUILDHALL_HTTP_PORT": "0",
    }
    return Settings(_env_file=None, **env)


async def until(check: Callable[[], Any], what: str, seconds: float = 20) -> Any:
    """Wait until `check()` returns something truthy (the fakes record; no event to await)."""
    try:
        async with asyncio.timeout(seconds):
            while not (found := check()):  # noqa: ASYNC110 - polling the fakes' records
                await asyncio.sleep(0.02)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")
    return found


@contextlib.asynccontextmanager
async def running(database_url: str, clock: FixedClock) -> AsyncIterator[Running]:
    discord = FakeDiscord()
    discord.guild["channels"].append(
        {**discord.guild["channels"][0], "id": DISCORD_PROPOSALS, "name": "proposals"}
    )
    await discord.start()
    slack = await FakeSlackApi().start()
    slack.add_user("U1", "alice")
    slack.channels.update({"proposals": SLACK_PROPOSALS, "general": "CGENERAL"})
    started: list[Guildhall] = []
    stop = asyncio.Event()
    task = asyncio.create_task(
        run(
            settings_for(database_url, discord, slack),
            CommunityConfig(),
            clock=clock,
            stop=stop,
            started=started.append,
        )
    )
    try:
        await until(lambda: started or task.done(), "run() to compose")
        assert not task.done(), task.result()
        await asyncio.wait_for(discord.ready.wait(), 20)
        await asyncio.wait_for(slack.socket_connected.wait(), 20)
        yield Running(discord, slack, started[0], stop, task)
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        await slack.close()
        await discord.stop()
        point_at()


def discord_posts(fake: FakeDiscord, needle: str) -> list[dict[str, Any]]:
    return [
        r.json
        for r in fake.calls("POST", rf"/channels/{DISCORD_PROPOSALS}/messages")
        if needle in str(r.json)
    ]


def slack_posts(fake: FakeSlackApi, needle: str) -> list[dict[str, Any]]:
    return [
        c
        for c in fake.called("chat.postMessage")
        if c.get("channel") == SLACK_PROPOSALS and needle in str(c)
    ]


async def observed(system: Guildhall) -> None:
    """/healthz and /metrics are served by every `guildhall run` (here on an ephemeral port)."""
    base = f"http://127.0.0.1:{system.web.port}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as resp:
            health = await resp.json()
            assert resp.status == 200 and health["database"] == "reachable", health
        assert health["scheduler"]["leader"] is True and "lease_age_seconds" in health["scheduler"]
        wanted = (
            f'{COMMANDS_OK},platform="discord"}} 1.0',
            f'{COMMANDS_OK},platform="slack"}} 1.0',
            'guildhall_deliveries_total{outcome="sent",platform="discord"}',
            'guildhall_deliveries_total{outcome="sent",platform="slack"}',
            "guildhall_scheduler_leader 1.0",
            "guildhall_outbox_pending ",
            "guildhall_outbox_oldest_pending_seconds ",
            "guildhall_db_pool_in_use ",
            'guildhall_command_seconds_bucket{command="proposal create"',
        )
        # A command is counted once its reply has gone, which may be just after
        # its card was delivered: scrape until both have been counted.
        scraped = ""
        for _ in range(100):
            async with http.get(f"{base}/metrics") as resp:
                scraped = await resp.text()
            if all(line in scraped for line in wanted):
                return
            await asyncio.sleep(0.05)
    missing = [line for line in wanted if line not in scraped]
    pytest.fail(f"/metrics lacks {missing}:\n{scraped}")


async def test_run_delivers_proposal_cards_and_scheduled_results_on_discord_and_slack(
    database_url: str, clock: FixedClock
) -> None:
    async with running(database_url, clock) as it:
        await it.discord.dispatch(
            "INTERACTION_CREATE",
            it.discord.slash(
                "proposal",
                [
                    {
                        "type": 1,
                        "name": "create",
                        "options": [
                            {"type": 3, "name": "type", "value": "feature"},
                            {"type": 3, "name": "title", "value": "Dark mode on Discord"},
                            {"type": 3, "name": "description", "value": "A dark theme, please"},
                            {"type": 3, "name": "deadline", "value": "2h"},
                        ],
                    }
                ],
            ),
        )
        # One command at a time, so the proposals are numbered in this order.
        await until(lambda: discord_posts(it.discord, "Dark mode on Discord"), "Discord card")
        await it.slack.socket_send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": TEAM_ID,
                    "channel_id": "CGENERAL",
                    "user_id": "U1",
                    "user_name": "alice",
                    "command": "/proposal",
                    "text": 'create feature "Dark mode on Slack" A dark theme --deadline 2h',
                    "response_url": it.slack.response_url("socket"),
                    "trigger_id": "9.9.socket",
                },
            }
        )
        await until(lambda: slack_posts(it.slack, "Dark mode on Slack"), "Slack card")
        await observed(it.system)

        # Past the deadline the scheduled close job runs and its result is delivered.
        clock.advance(timedelta(hours=3))
        await it.system.background.scheduler.heartbeat()  # leads again, runs what is due
        result_discord = await until(
            lambda: [p for p in discord_posts(it.discord, "Dark mode on Discord") if p][1:],
            "Discord result post",
        )
        result_slack = await until(
            lambda: slack_posts(it.slack, "Dark mode on Slack")[1:], "Slack result post"
        )
        assert "Proposal #1 rejected: Dark mode on Discord" in str(result_discord)
        assert "Proposal #2 rejected: Dark mode on Slack" in str(result_slack)
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{it.system.web.port}/metrics") as resp,
        ):
            scraped = await resp.text()
        assert 'guildhall_job_runs_total{job="proposals.close_due",outcome="ok"}' in scraped
