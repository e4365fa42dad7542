"""A community's own achievement catalog from config.toml."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.app import App
from domain.core.config import CommunityConfig
from storage.achievements import MemberAchievementRow
from tests.conftest import invoke
from tests.support.boards import count, record


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(
        achievements=[
            {
                "id": "statesman",
                "name": "Statesman",
                "description": "Vote 3 times and get a proposal approved",
                "requires": {"votes_cast": 3, "proposals_approved": 1},
            }
        ]
    )


async def test_configured_condition_over_several_counters(app: App) -> None:
    for i in range(3):
        await record(app, "ana", "vote_cast", key=f"vote:{i}", proposal_id=i)
    assert await count(app, MemberAchievementRow) == 0
    reply = await invoke(app, "ana", "achievements")
    assert "🔒 Statesman" in reply.text and "3/3 votes cast, 0/1 proposals approved" in reply.text
    await record(app, "ana", "proposal_approved", key="approved:7", proposal_id=7)
    assert await count(app, MemberAchievementRow) == 1
    await record(app, "ana", "vote_cast", key="vote:9", proposal_id=9)
    assert await count(app, MemberAchievementRow) == 1


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"requires": {"karma": 3}}, "unknown counter 'karma'"),
        ({"requires": {"checkins": 0}}, "checkins must be at least 1"),
        ({"requires": {}}, "at least 1 item"),
        ({"id": "Bad Id"}, "should match pattern"),
    ],
)
def test_catalog_mistakes_are_named_at_start(entry: dict[str, object], words: str) -> None:
    base = {"id": "x", "name": "X", "description": "x", "requires": {"checkins": 1}}
    with pytest.raises(ValidationError, match=words):
        CommunityConfig(achievements=[{**base, **entry}])


def test_duplicate_achievement_ids_are_refused() -> None:
    one = {"id": "x", "name": "X", "description": "x", "requires": {"checkins": 1}}
    with pytest.raises(ValidationError, match="used twice"):
        CommunityConfig(achievements=[one, one])
