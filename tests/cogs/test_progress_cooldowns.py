"""A cooldown longer than a day brakes XP across days (the XP projection reads back that far)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.progress import ProgressSection
from storage.progress import XpAwardRow
from tests.support.progress import emit, member


@pytest.fixture
def config() -> CommunityConfig:
    return CommunityConfig(
        progress=ProgressSection.model_validate(
            {
                "xp": {
                    "proposal_created": {
                        "amount": 8,
                        "cooldown_minutes": 3 * 24 * 60,
                        "daily_cap": 0,
                        "diminish_after": 0,
                    },
                },
            }
        ),
    )


async def test_a_three_day_cooldown_withholds_xp_until_three_days_have_passed(
    app: App, clock: FixedClock
) -> None:
    alice = await member(app, "alice")
    start = clock.now()
    await emit(app, alice, "proposal_created", "proposal:1", proposal_id=1)
    clock.set(start + timedelta(days=2, hours=23))  # two local days later: still cooling down
    await emit(app, alice, "proposal_created", "proposal:2", proposal_id=2)
    clock.set(start + timedelta(days=3))
    await emit(app, alice, "proposal_created", "proposal:3", proposal_id=3)
    async with app.database.reader.connect() as conn:
        paid = (
            await conn.execute(
                select(XpAwardRow.key)
                .where(XpAwardRow.member_id == alice.id, XpAwardRow.source == "proposal_created")
                .order_by(XpAwardRow.id)
            )
        ).scalars()
        assert list(paid) == ["xp:proposal_created:proposal:1", "xp:proposal_created:proposal:3"]
