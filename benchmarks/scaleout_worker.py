"""One worker process of the scale-out bench (`guildhall bench --processes N`).

Started by `benchmarks.scaleout` as `python -m benchmarks.scaleout_worker`, it
composes the app as `guildhall run` does (`build_app`: its own engines, its own
projector, which also `watch()`es the log so it applies the other processes'
activities too) and then obeys the parent, one JSON object per line on stdin:

- `{"op": name, "day": iso, "concurrency": c, "calls": [[user, name, mod, key, command, text]]}`
  arms an operation (answers `{"armed": ...}`); the parent plans every call,
  so the processes share one day, one set of proposals and cross-process
  double clicks;
- `{"go": true}` drives the armed calls, waits until this process's commits
  are applied and the log has nothing it can claim, and answers with the
  sample (monotonic start, end and drained times, comparable between
  processes on one machine: CLOCK_MONOTONIC is system-wide on Linux);
- `{"stop": true}` closes the app and answers with the process's totals.

Answers go to stdout, one JSON object per line; anything else the process
prints goes to stderr, so a stray print cannot break the protocol.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from datetime import datetime
from typing import Any, TextIO

from benchmarks.driver import drive
from benchmarks.events import EVENT_OPERATIONS
from benchmarks.ops import OPERATIONS, Operation
from bot.app import App, build_app
from bot.discord.adapter import discord_member_parser
from cogs.kit import Actor, Invocation, Place
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from domain.moderation.config import LimitsSection

OPERATIONS_BY_NAME: dict[str, Operation] = {op.name: op for op in (*OPERATIONS, *EVENT_OPERATIONS)}


def invocation(call: list[Any]) -> Invocation:
    """Rebuild an invocation the parent planned (as `benchmarks.ops.Day.invocation` built it)."""
    user, name, mod, key, command, text = call
    return Invocation(
        actor=Actor(Platform.CONSOLE, "bench", str(user), str(name), is_moderator=bool(mod)),
        key=str(key),
        place=Place(channel_id="bench"),
        command=str(command),
        text=str(text),
    )


def flatten(inv: Invocation) -> list[Any]:
    """The parts of a planned invocation a worker needs (JSON-able)."""
    a = inv.actor
    return [a.user_id, a.display_name, a.is_moderator, inv.key, inv.command, inv.text or ""]


class Worker:
    """The app of one process and the operation it is armed with."""

    def __init__(self, app: App, clock: FixedClock) -> None:
        self.app = app
        self.clock = clock
        self.op: Operation | None = None
        self.calls: list[Invocation] = []
        self.concurrency = 1

    def arm(self, message: dict[str, Any]) -> dict[str, Any]:
        self.op = OPERATIONS_BY_NAME[message["op"]]
        self.clock.set(datetime.fromisoformat(message["day"]))
        self.calls = [invocation(c) for c in message["calls"]]
        self.concurrency = max(1, int(message["concurrency"]))
        return {"armed": self.op.name, "calls": len(self.calls)}

    async def go(self) -> dict[str, Any]:
        op = self.op
        assert op is not None, "go before an operation was armed"
        projector = self.app.uow.projector
        lags_before = len(projector.lags_ms)
        applied_before = projector.applied_activities
        started = time.monotonic()
        cpu = time.process_time()  # this process's own CPU: the database server's is not in it

        async def call(inv: Invocation) -> str:
            return op.classify(await self.app.runner.dispatch(inv))

        sample = await drive(self.calls, call, self.concurrency)
        ended = time.monotonic()
        # This process's commits applied (by it or by another process), then
        # whatever is left that no other process holds (SKIP LOCKED).
        await projector.drain()
        drained = time.monotonic()
        return {
            "cpu_seconds": time.process_time() - cpu,
            "op": op.name,
            "ops": sample.ops,
            "seconds": sample.seconds,
            "started": started,
            "ended": ended,
            "drained": drained,
            "latencies_ms": [round(x, 3) for x in sample.latencies_ms],
            "outcomes": dict(sample.outcomes),
            "lags_ms": [round(x, 1) for x in list(projector.lags_ms)[lags_before:]],
            "applied_here": projector.applied_activities - applied_before,
        }

    async def stop(self) -> dict[str, Any]:
        stats = {k: v for k, v in self.app.uow.projector.stats().items() if k != "lags_ms"}
        errors = self.app.runner.unhandled_errors
        await self.app.close()
        return {"closed": True, "unhandled_errors": errors, "projector": stats}


async def serve(job: dict[str, Any], out: TextIO) -> int:
    """Compose the app, say ready, then obey the parent's lines until told to stop."""
    config = CommunityConfig.model_validate_json(job["config"])  # the parent's, exactly
    clock = FixedClock(datetime.fromisoformat(job["day"]))
    app = await build_app(
        job["url"],
        # As the bench: many commands per member within one simulated minute.
        config.model_copy(update={"limits": LimitsSection()}),
        clock=clock,
        upgrade=False,
        pool_size=int(job["pool_size"]),
        features=tuple(job["features"]) if job.get("features") else None,
    )
    app.runner.member_parsers[Platform.CONSOLE] = discord_member_parser
    # As `guildhall run` does when its scheduler starts: apply other processes' activities.
    app.uow.projector.watch()
    worker = Worker(app, clock)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    def answer(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    answer({"ready": job["index"]})
    try:
        while line := await reader.readline():
            message = json.loads(line)
            if "op" in message:
                answer(worker.arm(message))
            elif message.get("go"):
                answer(await worker.go())
            elif message.get("stop"):
                answer(await worker.stop())
                return 0
    except BaseException:
        await app.close()
        raise
    await app.close()  # the parent went away
    return 1


def main() -> int:
    """Read the job from the file named in argv (JSON), keep stdout for answers only, serve."""
    with open(sys.argv[1], encoding="utf-8") as file:
        job = json.load(file)
    out, sys.stdout = sys.stdout, sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("cogs.kit.runner").setLevel(logging.CRITICAL)  # errors are counted
    return asyncio.run(serve(job, out))


if __name__ == "__main__":
    sys.exit(main())
