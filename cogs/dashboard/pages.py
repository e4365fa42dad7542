"""The dashboard pages every deployment has, built from the features' own commands.

A page names commands; those a deployment does not install are left out, so
the same list serves a community with or without proposals or quests.
"""

from __future__ import annotations

from cogs.kit import Page

PAGES = [
    Page(
        "members",
        "Members",
        forms=("admin award", "admin revoke", "admin lock", "admin unlock"),
        order=20,
    ),
    Page(
        "proposals",
        "Proposals",
        shows=("proposals",),
        forms=("admin proposal close", "admin proposal reject", "admin proposal implement"),
        order=30,
    ),
    Page(
        "quests",
        "Quests",
        shows=("quests", "admin quest submissions"),
        forms=("admin quest create", "admin quest review"),
        order=40,
    ),
    Page(
        "leaderboards",
        "Leaderboards",
        shows=tuple(
            f"leaderboard {board} {period}"
            for board in ("points", "xp", "streak")
            for period in ("week", "month", "all")
        ),
        forms=("leaderboard",),  # any board, period and past season (--season 2026-W46)
        order=50,
    ),
    Page(
        "schedule", "Schedule", shows=("admin schedule",), forms=("admin outbox retry",), order=80
    ),
]
