"""`guildhall run` and `guildhall console`: start what is configured."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot import demo
from bot.ai import build_chat_model
from bot.app import App, build_app
from bot.console import ConsoleAdapter
from bot.delivery import Deliverer
from bot.scheduler import Background, ConsoleDeliverer, start_background
from bot.settings import Settings
from bot.web import WebServer
from domain.core.config import CommunityConfig

log = logging.getLogger(__name__)


async def _open(settings: Settings, config: CommunityConfig) -> App:
    return await build_app(
        settings.database_url,
        config,
        pool_size=settings.db_pool_size,
        chat_model=build_chat_model(settings),
    )


async def run(settings: Settings, config: CommunityConfig) -> int:
    """Start every adapter whose credentials are set; the console when none are."""
    if not settings.has_platform:
        log.info("no platform credentials configured: starting the console adapter")
        return await console(settings, config, script=None, actor="alice", demo=True)
    app = await _open(settings, config)
    try:
        tasks: list[asyncio.Task[None]] = []
        # Adapters append their bot.delivery.Deliverer here; the outbox deliverer uses them.
        deliverers: list[Deliverer] = []
        # Platform adapters register here as they are built (see bot/discord, bot/slack).
        if settings.discord_token is not None:
            from bot.discord.run import build_client, serve

            discord_client = build_client(app, settings)  # .deliverer sends outbox rows
            tasks.append(asyncio.create_task(serve(discord_client, settings)))
        web = WebServer(settings.http_host, settings.http_port)
        if settings.slack_bot_token is not None:
            from bot.slack.run import start_slack

            tasks.extend(start_slack(app, settings, web))
        if web.routes:
            tasks.append(asyncio.create_task(web.serve()))
        if not tasks:
            log.error("platform credentials are set but no adapter for them is installed")
            return 2
        background = await start_background(app, deliverers)
        try:
            await asyncio.gather(*tasks)
        finally:
            await background.stop()
        return 0
    finally:
        await app.close()


async def console(
    settings: Settings, config: CommunityConfig, *, script: str | None, actor: str, demo: bool
) -> int:
    """Interactive console, or run a script of lines (exit 1 if any line crashed)."""
    app = await _open(settings, config)
    try:
        if demo:
            await demo_seed(app)
        adapter = ConsoleAdapter(app.runner, community_name=config.community.name, actor=actor)
        # The console runs the scheduler and prints announcements as they are delivered.
        # A script instead runs due jobs before and delivers after each line, in step,
        # so its output keeps its order and nothing races its commands.
        background = Background(app, [ConsoleDeliverer()])
        try:
            if script is not None:
                lines = await asyncio.to_thread(_read_script, script)
                for line in lines.splitlines():
                    await background.tick()
                    who = adapter.actor_name  # the prompt shows who typed the line
                    out = await adapter.handle_line(line)
                    if out is not None:
                        print(f"{who}> {line.strip()}")
                        print(out)
                    await background.delivery.drain()
                return 1 if app.runner.unhandled_errors else 0
            await background.start()
            return await _interactive(adapter)
        finally:
            await background.stop()
    finally:
        await app.close()


async def demo_seed(app: App) -> None:
    await demo.seed(app)


async def _interactive(adapter: ConsoleAdapter) -> int:
    print("Guildhall console — type /help for commands, /as NAME to switch member, /quit to leave.")
    while True:
        try:
            line = await asyncio.to_thread(input, f"{adapter.actor_name}> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip() in ("/quit", "/exit"):
            return 0
        out = await adapter.handle_line(line)
        if out is not None:
            print(out)


def _read_script(script: str) -> str:
    return sys.stdin.read() if script == "-" else Path(script).read_text(encoding="utf-8")
