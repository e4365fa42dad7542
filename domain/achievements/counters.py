"""Member counters: what achievements and quests count, derived from activities.

One table of (member, counter) → value, moved in the transaction of the
activity, so a condition such as "25 votes cast" is a lookup rather than a
count over history. Kinds are the strings other features record; a kind
nobody records yet (votes before governance is installed) simply never counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.activity import Activity
from domain.core.ids import MemberId

CHECKINS = "checkins"
STREAK = "streak"
VOTES_CAST = "votes_cast"
PROPOSALS_CREATED = "proposals_created"
PROPOSALS_APPROVED = "proposals_approved"
GIFTS_GIVEN = "gifts_given"
GIFTS_RECEIVED = "gifts_received"
POINTS_EARNED = "points_earned"
XP = "xp"
QUESTS_COMPLETED = "quests_completed"

COUNTERS: frozenset[str] = frozenset(
    {
        CHECKINS,
        STREAK,
        VOTES_CAST,
        PROPOSALS_CREATED,
        PROPOSALS_APPROVED,
        GIFTS_GIVEN,
        GIFTS_RECEIVED,
        POINTS_EARNED,
        XP,
        QUESTS_COMPLETED,
    }
)
"""Every counter a condition or a quest goal may name."""

BEST_OF: frozenset[str] = frozenset({STREAK})
"""Counters that keep the highest value seen instead of adding up."""


@dataclass(frozen=True, slots=True)
class CounterChange:
    """Add `amount` to a member's counter (or raise it to `amount` for best-of counters)."""

    member_id: MemberId
    counter: str
    amount: int

    @property
    def best_of(self) -> bool:
        return self.counter in BEST_OF


def changes_for(activity: Activity) -> list[CounterChange]:
    """The counter changes one activity makes; empty for kinds that count nothing."""
    d = activity.data
    who = activity.member_id
    match activity.kind:
        case "checked_in":
            streak = max(int(d.get("longest", 0)), int(d.get("streak", 0)))
            return [CounterChange(who, CHECKINS, 1), CounterChange(who, STREAK, streak)]
        case "vote_cast":
            return [CounterChange(who, VOTES_CAST, 1)]
        case "proposal_created":
            return [CounterChange(who, PROPOSALS_CREATED, 1)]
        case "proposal_approved":
            return [CounterChange(who, PROPOSALS_APPROVED, 1)]
        case "points_gifted":
            out = [CounterChange(who, GIFTS_GIVEN, 1)]
            if d.get("receiver_id") is not None:
                out.append(CounterChange(MemberId(int(d["receiver_id"])), GIFTS_RECEIVED, 1))
            return out
        case "points_credited" if d.get("kind", "earned") == "earned":
            return [CounterChange(who, POINTS_EARNED, int(d.get("amount", 0)))]
        case "xp_gained":
            return [CounterChange(who, XP, int(d.get("amount", 0)))]
        case "quest_completed":
            return [CounterChange(who, QUESTS_COMPLETED, 1)]
    return []


COUNTED_KINDS: tuple[str, ...] = (
    "checked_in",
    "vote_cast",
    "proposal_created",
    "proposal_approved",
    "points_gifted",
    "points_credited",
    "xp_gained",
    "quest_completed",
)
"""Activity kinds `changes_for` understands (what to subscribe to)."""
