"""Member counters: what achievements and quests count, derived from activities.

One table of (member, counter) → value, moved by the counters projection, so
a condition such as "25 votes cast" is a lookup rather than a count over
history. Counter names are declared by the feature that moves them
(`domain.core.activity.counter`) and moved by an activity's `counters()`, so
a counter of any installed feature may be named in the catalog.
"""

from __future__ import annotations

from domain.core.activity import Activity, CounterMove, known_counters

CounterChange = CounterMove
"""A change to one member's counter (the name achievements and quests have always used)."""


def changes_for(activity: Activity) -> list[CounterMove]:
    """The counter changes one activity makes; empty for kinds that count nothing."""
    return [move for move in activity.counter_moves() if move.amount > 0]


def counter_names() -> frozenset[str]:
    """Every counter a condition or a quest goal may name (declared by imported features)."""
    return frozenset(known_counters())
