"""Demo data of proposals: three proposals with votes, for the console demo."""

from __future__ import annotations

from typing import Any


async def seed_demo(demo: Any) -> None:
    """Three proposals with votes, so the console demo shows governance at work.

    Alice (the console's default member) only proposes: her balance stays the
    check-in history the demo promises.
    """

    async def propose(who: str, line: str) -> str:
        reply = await demo.run(who, "proposal create", line)
        return (reply.title or "#0").split(" ")[0].lstrip("#")

    dark = await propose(
        "alice",
        'feature "Dark mode for the community site" Many of us read at night; a dark theme'
        " would be easier on the eyes. --deadline 7d",
    )
    for who, choice in (("bob", "for"), ("carol", "for"), ("dave", "against")):
        await demo.run(who, "vote", f"{dark} {choice}")
    call = await propose(
        "erin",
        'policy "Monthly community call" A one-hour open call on the first Friday of each'
        " month. --anonymous --hidden",
    )
    for who, choice in (("dave", "for"), ("frank", "abstain")):
        await demo.run(who, "vote", f"{call} {choice}")
    guide = await propose(
        "bob",
        'content "Refresh the welcome guide" Update the newcomer guide with the new channels.'
        " --deadline 2d",
    )
    for who in ("carol", "erin", "frank"):
        await demo.run(who, "vote", f"{guide} for")
    await demo.run("mia", "admin proposal close", f"{guide} clear support", mod=True)
    await demo.run(
        "mia",
        "admin proposal implement",
        f"{guide} guide updated --link https://example.org/welcome",
        mod=True,
    )
