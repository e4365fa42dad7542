"""The operations of a community day, each pluggable and skipped when absent.

An operation names the command it drives; when no installed feature declares
that command, the suite prints "feature not installed" and goes on, so the
harness runs on the foundation alone and measures votes, leaderboards and
profiles as soon as those features are merged.
"""

from __future__ import annotations

import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from benchmarks.seed import WORKSPACE, Seeded, display_name, user_id
from bot.app import App
from cogs.kit import Actor, Invocation, Place, Reply
from cogs.kit.options import OptionType
from domain.identity import Platform

_PROPOSAL_ID = re.compile(r"#(\d+)")


@dataclass
class Day:
    """One repeat's world: the app, the seeded community and the day's time."""

    app: App
    seeded: Seeded
    now: datetime
    repeat: int
    rng: random.Random
    proposals: list[int] = field(default_factory=list)
    serial: int = 0
    # For operations with a known right answer: how many requests must succeed.
    expected_ok: int | None = None

    def invocation(
        self, member: int, command: str, text: str = "", *, mod: bool = False
    ) -> Invocation:
        """An invocation as an adapter would build it, with a fresh interaction key."""
        self.serial += 1
        return Invocation(
            actor=Actor(
                Platform.CONSOLE, WORKSPACE, user_id(member), display_name(member), is_moderator=mod
            ),
            key=f"bench:{self.repeat}:{command}:{self.serial}",
            place=Place(channel_id="bench"),
            command=command,
            text=text,
        )


Prepare = Callable[[Day], Awaitable[str | None]]  # returns a reason to skip, or None
Plan = Callable[[Day, int], list[Invocation]]


@dataclass(frozen=True)
class Operation:
    """A kind of request in the day, with how many per member and which refusals are normal."""

    name: str
    command: str
    per_member: float
    plan: Plan
    expected_refusals: tuple[str, ...] = ()
    prepare: Prepare | None = None
    writes: bool = True

    def count(self, members: int) -> int:
        return max(1, int(members * self.per_member))

    def classify(self, reply: Reply | None) -> str:
        """ "ok", "refused" (an expected refusal) or "error" (anything else that failed)."""
        if reply is None:
            return "error"
        if reply.tone.value != "error":
            return "ok"
        if any(fragment in reply.text for fragment in self.expected_refusals):
            return "refused"
        return "error"


def _members(day: Day) -> list[int]:
    order = list(range(1, day.seeded.members + 1))
    day.rng.shuffle(order)
    return order


def plan_checkin(day: Day, count: int) -> list[Invocation]:
    return [day.invocation(m, "checkin") for m in _members(day)[:count]]


def plan_give(day: Day, count: int) -> list[Invocation]:
    n = day.seeded.members
    out = []
    for _ in range(count):
        giver = day.rng.randint(1, n)
        receiver = day.rng.randint(1, n - 1)
        receiver += receiver >= giver  # never oneself
        amount = day.rng.randint(1, 5)
        out.append(day.invocation(giver, "points give", f"<@{user_id(receiver)}> {amount} thanks"))
    return out


async def prepare_votes(day: Day) -> str | None:
    """Open 20 proposals, each by a different moderator (members have a cap on open ones)."""
    command = day.app.registry.command("proposal create")
    if command is None:
        return "needs /proposal create"
    kind = "general"
    first = command.options[0] if command.options else None
    if first is not None and first.type is OptionType.CHOICE and first.choices:
        kind = first.choices[0]
    day.proposals = []
    for i in range(20):
        author = (day.repeat * 20 + i) % day.seeded.members + 1
        reply = await day.app.runner.dispatch(
            day.invocation(
                author,
                "proposal create",
                f"{kind} Bench-{day.repeat}-{i} Measure how the day goes for everyone",
                mod=True,
            )
        )
        found = None
        if reply is not None and reply.anchor and reply.anchor.startswith("proposal:"):
            found = int(reply.anchor.split(":", 1)[1])
        elif reply is not None and (m := _PROPOSAL_ID.search(reply.text)):
            found = int(m.group(1))
        if found is None:
            text = reply.text if reply else "no reply"
            return f"could not create a proposal: {text[:80]}"
        day.proposals.append(found)
    return None


def plan_vote(day: Day, count: int) -> list[Invocation]:
    """Votes on the open proposals; about one in ten is a second click of the same vote."""
    out: list[Invocation] = []
    n = day.seeded.members
    seen: set[tuple[int, int]] = set()
    while len(out) < count:
        member = day.rng.randint(1, n)
        proposal = day.rng.choice(day.proposals)
        if (member, proposal) in seen:
            continue
        seen.add((member, proposal))
        choice = day.rng.choice(("for", "against", "abstain"))
        vote = day.invocation(member, "vote", f"{proposal} {choice}")
        out.append(vote)
        if day.rng.random() < 0.1 and len(out) < count:
            out.append(day.invocation(member, "vote", f"{proposal} {choice}"))
    day.expected_ok = len(seen)  # each (member, proposal) is one vote, however many clicks
    return out


def plan_leaderboard(day: Day, count: int) -> list[Invocation]:
    n = day.seeded.members
    return [day.invocation(day.rng.randint(1, n), "leaderboard") for _ in range(count)]


def plan_profile(day: Day, count: int) -> list[Invocation]:
    n = day.seeded.members
    return [day.invocation(day.rng.randint(1, n), "profile") for _ in range(count)]


OPERATIONS: tuple[Operation, ...] = (
    Operation("checkin", "checkin", 1.0, plan_checkin, expected_refusals=("already checked in",)),
    Operation(
        "points give",
        "points give",
        0.2,
        plan_give,
        expected_refusals=("so you can't give",),
    ),
    Operation(
        "vote",
        "vote",
        0.5,
        plan_vote,
        expected_refusals=("already voted",),
        prepare=prepare_votes,
    ),
    Operation("leaderboard", "leaderboard", 0.1, plan_leaderboard, writes=False),
    Operation("profile", "profile", 0.05, plan_profile, writes=False),
)
