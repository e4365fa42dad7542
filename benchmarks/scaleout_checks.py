"""What the scale-out run must prove besides speed: nothing lost, nothing doubled.

Two processes drive one PostgreSQL database and two projectors claim batches
of one activity log, so the checks are the ones a second `guildhall run` could
break: the log fully applied, each check-in awarded once, each vote counted
once (however many clicks, from whichever process), and what `guildhall db
check` verifies (balances against the ledger, escrow, debts, mentoring slots,
counters and XP against the log) all clean.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.activity_log import ActivityLogRow
from storage.check import ledger_problems
from storage.checkin import CheckinRow
from storage.mentoring.check import mentoring_problems
from storage.points import LedgerRow
from storage.projections import pending_activities, projection_mismatches
from storage.proposal_tables import ProposalVoteRow

_LOG = ActivityLogRow.__table__
_VOTE_CAST = "vote_cast"


@dataclass
class Expected:
    """What the workers were asked to do, kept by the parent to check against."""

    checkin_days: list[tuple[datetime, int]] = field(default_factory=list)  # day, ok replies
    # (proposal, choice) -> distinct members voting so; double clicks counted once.
    tallies: Counter[tuple[int, str]] = field(default_factory=Counter)
    votes_ok: int = 0  # "ok" replies to votes across every process (double clicks included)

    def plan_votes(self, calls: list[list[Any]]) -> None:
        """Note the distinct (member, proposal) votes of a planned day and their choices."""
        seen: dict[tuple[str, int], str] = {}
        for user, _name, _mod, _key, _command, text in calls:
            proposal, choice = str(text).split()
            seen[(str(user), int(proposal))] = choice
        for (_user, proposal), choice in seen.items():
            self.tallies[(proposal, choice)] += 1


async def db_check_problems(engine: AsyncEngine) -> list[str]:
    """Everything `guildhall db check` reports, as lines (empty: clean).

    The CLI (`bot.cli._db`) prints these checks one after another; here they
    are gathered: ledger, escrow and debts (`ledger_problems`), mentoring
    slots, and counters and XP recomputed from the log.
    """
    problems = await ledger_problems(engine)
    problems += await mentoring_problems(engine)
    problems += [
        f"member {d.member_id}: {d.what} is {d.stored}, the log says {d.from_log}"
        for d in await projection_mismatches(engine)
    ]
    return problems


async def verify(engine: AsyncEngine, expected: Expected) -> dict[str, dict[str, Any]]:
    """Run every check; each answers `{"ok": bool, "detail": str}`."""
    out: dict[str, dict[str, Any]] = {}
    pending = await pending_activities(engine)
    out["activity log applied"] = {"ok": pending == 0, "detail": f"{pending} pending"}
    if expected.checkin_days:
        out["check-in awarded once"] = await _checkins(engine, expected.checkin_days)
    if expected.tallies:
        out["each vote counted once"] = await _votes(engine, expected)
    problems = await db_check_problems(engine)
    out["guildhall db check"] = {
        "ok": not problems,
        "detail": "clean" if not problems else "; ".join(problems[:5]),
    }
    return out


async def _checkins(engine: AsyncEngine, days: list[tuple[datetime, int]]) -> dict[str, Any]:
    """Per day: check-in rows = members who checked in = ledger awards = "ok" replies."""
    c, ledger = CheckinRow.__table__, LedgerRow.__table__
    details: list[str] = []
    ok = True
    async with engine.connect() as conn:
        for day, replies in days:
            start = day.replace(hour=0, minute=0, second=0, microsecond=0)
            rows, members = (
                await conn.execute(
                    select(func.count(), func.count(func.distinct(c.c.member_id))).where(
                        c.c.local_date == day.date()
                    )
                )
            ).one()
            award = (
                ledger.c.source == "checkin",
                ledger.c.created_at >= start,
                ledger.c.created_at < start + timedelta(days=1),
            )
            awards, awarded = (
                await conn.execute(
                    select(func.count(), func.count(func.distinct(ledger.c.member_id))).where(
                        *award
                    )
                )
            ).one()
            same = rows == members == awards == awarded == replies
            ok = ok and same
            details.append(
                f"{day.date()}: {replies} ok replies, {rows} check-ins by {members} members,"
                f" {awards} awards to {awarded} members"
            )
    return {"ok": ok, "detail": "; ".join(details)}


async def _votes(engine: AsyncEngine, expected: Expected) -> dict[str, Any]:
    """Tallies from the votes table = the planned distinct votes = vote activities = "ok"s."""
    v = ProposalVoteRow.__table__
    proposals = sorted({p for p, _choice in expected.tallies})
    async with engine.connect() as conn:
        recorded = Counter(
            {
                (int(p), str(choice)): int(n)
                for p, choice, n in await conn.execute(
                    select(v.c.proposal_id, v.c.choice, func.count())
                    .where(v.c.proposal_id.in_(proposals))
                    .group_by(v.c.proposal_id, v.c.choice)
                )
            }
        )
        log = await conn.execute(
            select(_LOG.c.member_id, _LOG.c.data).where(_LOG.c.kind == _VOTE_CAST)
        )
        cast: Counter[tuple[int, int]] = Counter()
        for member_id, data in log:
            payload = json.loads(data) if isinstance(data, str) else data
            proposal = int(payload.get("proposal_id", 0))
            if proposal in proposals:
                cast[(int(member_id), proposal)] += 1
    wanted = sum(expected.tallies.values())
    doubled = sum(1 for n in cast.values() if n > 1)
    # A second click with the same choice answers "nothing changed" (not an error),
    # so the replies are reported, not compared: the tables and the log are the proof.
    ok = recorded == expected.tallies and sum(cast.values()) == wanted and not doubled
    return {
        "ok": ok,
        "detail": f"{wanted} distinct votes planned, {sum(recorded.values())} in the votes table"
        f" (tallies {'equal' if recorded == expected.tallies else 'DIFFER'}),"
        f" {expected.votes_ok} ok replies, {sum(cast.values())} vote activities"
        f" ({doubled} doubled)",
    }
