"""A mentor's capacity is enforced by the database: 20 accepts at once, 3 slots, 3 sessions.

Run on SQLite and on PostgreSQL (where the pool really runs them in parallel).
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.app import App
from cogs.kit import Tone
from storage.mentoring import MentorProfileRow, MentorSessionRow
from storage.mentoring.check import slot_mismatches
from tests.conftest import invoke


async def test_twenty_concurrent_requests_and_accepts_fill_three_slots(app: App) -> None:
    await invoke(app, "mentor", "mentor profile set", '--topics "python" --capacity 3')
    mentees = [f"m{i}" for i in range(20)]
    for name in mentees:
        await invoke(app, name, "help")  # enrolled, as members would be
    requests = await asyncio.gather(
        *(invoke(app, name, "mentor request", "@mentor general please help") for name in mentees)
    )
    assert all(r.tone is Tone.SUCCESS for r in requests), [r.text for r in requests]
    replies = await asyncio.gather(
        *(invoke(app, "mentor", "session accept", str(i)) for i in range(1, 21))
    )
    accepted = [r for r in replies if "accepted session" in r.text]
    full = [r for r in replies if "no free slots" in r.text]
    assert len(accepted) == 3
    assert len(full) == 17
    async with app.database.reader.connect() as conn:
        scheduled = (
            await conn.execute(
                select(MentorSessionRow.id).where(MentorSessionRow.status == "scheduled")
            )
        ).all()
        active = (await conn.execute(select(MentorProfileRow.active))).scalar_one()
    assert len(scheduled) == 3 and active == 3
    assert await slot_mismatches(app.database.reader) == []
    # Completing, cancelling and no-shows give the slots back, still in step.
    await invoke(app, "mentor", "session complete", str(int(scheduled[0][0])))
    await invoke(app, "mentor", "session cancel", str(int(scheduled[1][0])))
    await invoke(app, "mentor", "session noshow", str(int(scheduled[2][0])))
    assert await slot_mismatches(app.database.reader) == []


async def test_the_database_refuses_more_active_sessions_than_capacity(app: App) -> None:
    await invoke(app, "mentor", "mentor profile set", '--topics "python" --capacity 1')
    with pytest.raises(IntegrityError):
        async with app.database.writer.begin() as conn:
            await conn.execute(update(MentorProfileRow).values(active=2))


async def test_db_check_reports_slot_mismatches(
    app: App, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import _db
    from bot.settings import Settings

    await invoke(app, "mentor", "mentor profile set", '--topics "python" --capacity 3')
    await invoke(app, "bob", "mentor request", "@mentor general please help")
    await invoke(app, "mentor", "session accept", "1")
    settings = Settings(DATABASE_URL=database_url)
    assert await _db("check", settings) == 0
    assert "every mentor's used slots match" in capsys.readouterr().out
    # A slot taken outside the service (a bad manual edit): the check names it.
    async with app.database.writer.begin() as conn:
        await conn.execute(update(MentorProfileRow).values(active=2))
    assert await _db("check", settings) == 1
    assert "slot_mismatches: mentor" in capsys.readouterr().out
    assert [(m.active, m.scheduled) for m in await slot_mismatches(app.database.reader)] == [(2, 1)]
