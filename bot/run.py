"""`guildhall run` and `guildhall console`: start what is configured."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from bot import demo
from bot.app import App, Guildhall, compose, console_background, open_app
from bot.console import ConsoleAdapter
from bot.settings import Settings
from domain.core.clock import Clock
from domain.core.config import CommunityConfig

log = logging.getLogger(__name__)


async def run(
    settings: Settings,
    config: CommunityConfig,
    *,
    clock: Clock | None = None,
    stop: asyncio.Event | None = None,
    started: Callable[[Guildhall], None] | None = None,
) -> int:
    """Start every adapter whose credentials are set; the console when none are.

    `stop` ends it gracefully; `started` sees the composed process (tests drive it).
    """
    if not settings.has_platform:
        log.info("no platform credentials configured: starting the console adapter")
        return await console(settings, config, script=None, actor="alice", demo=True)
    system = await compose(settings, config, clock=clock)
    signals = stop is None
    stop = stop or asyncio.Event()
    if signals:
        _on_signals(stop)
    try:
        if started is not None:
            started(system)
        return await system.serve(stop)
    finally:
        if signals:
            _off_signals()
        await system.app.close()


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _on_signals(stop: asyncio.Event) -> None:
    """SIGTERM/SIGINT stop gracefully; a second one stops at once."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    def received(sig: signal.Signals) -> None:
        if stop.is_set():
            log.warning("%s again: stopping without waiting", sig.name)
            if main is not None:
                main.cancel()
            return
        log.info("%s: stopping gracefully (send it again to stop at once)", sig.name)
        stop.set()

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, received, sig)


def _off_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.remove_signal_handler(sig)


async def console(
    settings: Settings, config: CommunityConfig, *, script: str | None, actor: str, demo: bool
) -> int:
    """Interactive console, or run a script of lines (exit 1 if any line crashed)."""
    app = await open_app(settings, config)
    try:
        if demo:
            await demo_seed(app)
        adapter = ConsoleAdapter(app.runner, community_name=config.community.name, actor=actor)
        # The console runs the scheduler and prints announcements as they are delivered.
        # A script instead runs due jobs before and delivers after each line, in step,
        # so its output keeps its order and nothing races its commands.
        background = console_background(app)
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
                    if adapter.quit:  # `/quit` ends a script as it ends a session
                        break
                return 1 if app.runner.unhandled_errors else 0
            await background.start()
            return await _interactive(adapter)
        finally:
            await background.stop()
    finally:
        await app.close()


async def demo_seed(app: App) -> None:
    """Seed the console demo community (history up to today)."""
    await demo.seed(app)


async def _interactive(adapter: ConsoleAdapter) -> int:
    print("Guildhall console — type /help for commands, /as NAME to switch member, /quit to leave.")
    while True:
        try:
            line = await asyncio.to_thread(input, f"{adapter.actor_name}> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        out = await adapter.handle_line(line)
        if out is not None:
            print(out)
        if adapter.quit:
            return 0


def _read_script(script: str) -> str:
    return sys.stdin.read() if script == "-" else Path(script).read_text(encoding="utf-8")
