"""Demo data of quests: this week's challenges, a manual quest and a proof to review."""

from __future__ import annotations

from typing import Any


async def seed_demo(demo: Any) -> None:
    """Demo: this week's challenges, a manual quest and one proof waiting for review."""
    rotation = next(j for j in demo.app.registry.jobs if j.name == "quests.rotation")
    await rotation.handler(demo.clock.now())
    created = await demo.run(
        "mia",
        "admin quest create",
        '"Share a tip" manual 1 25 Post a tip that helped you this week --xp 15 --ends 7d',
        mod=True,
    )
    quest_id = (created.title or "#0:").split("#")[1].split(":")[0]
    await demo.run("erin", "quest submit", f"{quest_id} wrote up my VS Code shortcuts")
