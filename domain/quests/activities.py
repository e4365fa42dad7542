"""What quests record: a completion, with the XP it carries; and the counter it moves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.core.activity import Activity, activity, counter

QUESTS_COMPLETED = counter("quests_completed", "quests completed")


@activity("quest_completed", version=1)
@dataclass(frozen=True, slots=True, kw_only=True)
class QuestCompleted(Activity):
    """The member completed quest `quest_id` for `period`, earning its `reward_xp`."""

    quest_id: int
    reward_xp: int
    period: str

    def counters(self) -> Mapping[str, int]:
        return {QUESTS_COMPLETED: 1}

    def explicit_xp(self) -> int | None:
        return self.reward_xp
