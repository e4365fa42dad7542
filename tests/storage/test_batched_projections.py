"""Batched projections: a batch gives what one at a time gives; other processes are seen."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, select

from bot.app import App, build_app
from domain.core.config import CommunityConfig
from storage.achievements import CommunitySizeRow, MemberAchievementRow
from storage.board_tables import BoardScoreRow, BoardSizeRow
from storage.projections import projection_mismatches, rebuild
from storage.quest_tables import QuestProgressRow
from tests.conftest import invoke
from tests.storage.test_projector import counter, member, pending, record, snapshot, vote, xp


async def _quest(app: App) -> None:
    reply = await invoke(app, "mia", "admin quest create", '"Have your say" votes 3 40', mod=True)
    assert "Have your say" in (reply.title or "")


async def _rows(app: App, table: object) -> list[Any]:
    async with app.database.reader.connect() as conn:
        rows = (await conn.execute(select(table))).all()  # type: ignore[call-overload]
    return sorted(rows, key=tuple)


async def test_one_batch_gives_what_one_activity_at_a_time_gives(app: App) -> None:
    """Caps, diminishing XP, boards, quest progress and sizes do not depend on the batching."""
    app.uow.settle_after_commit = False
    await _quest(app)
    ones, batched = await member(app, "ana"), await member(app, "bob")
    await app.uow.projector.drain()
    # 12 votes in one day: the vote rule diminishes after 5 and caps at 50 XP a day.
    app.uow.projector.batch_size = 1
    await record(app, [vote(ones, n) for n in range(12)])
    await app.uow.projector.drain()
    app.uow.projector.batch_size = 256
    await record(app, [vote(batched, n) for n in range(12)])
    await app.uow.projector.drain()
    assert await pending(app) == 0
    assert await xp(app, ones) == await xp(app, batched) > 0
    assert await counter(app, ones, "votes_cast") == await counter(app, batched, "votes_cast") == 12
    scores = {(r.board, r.season, r.member_id): r.score for r in await _rows(app, BoardScoreRow)}
    for (board, season, who), score in scores.items():
        if who == ones.id:
            assert scores.get((board, season, batched.id)) == score, (board, season)
    progress = {
        r.member_id: (r.progress, r.completed_at) for r in await _rows(app, QuestProgressRow)
    }
    assert progress[ones.id] == progress[batched.id]
    assert progress[ones.id][0] == 12 and progress[ones.id][1] is not None
    assert await projection_mismatches(app.database.reader) == []


async def test_a_replayed_log_is_not_doubled_and_a_rebuild_equals_it(app: App) -> None:
    """Re-applying a batch changes nothing; rebuilding from the log gives the same tables."""
    await _quest(app)
    for name in ("ana", "bob", "cy"):
        await invoke(app, name, "checkin")
    await record(app, [vote(await member(app, "cy"), n) for n in range(4)])
    await record(app, [vote(await member(app, "cy"), n) for n in range(4)])  # a retry
    before = await snapshot(app)
    assert before["community_sizes"] and before["board_sizes"] and before["quest_progress"]
    assert await rebuild(app.uow) > 0
    assert await snapshot(app) == before
    assert await projection_mismatches(app.database.reader) == []


async def test_the_stored_member_count_follows_enrolments(app: App) -> None:
    """Rarity reads a stored size; each enrolment counts once, however batched."""
    app.uow.settle_after_commit = False
    for name in ("ana", "bob", "cy"):
        await invoke(app, name, "help")
    await app.uow.projector.drain()
    sizes = [r.members for r in await _rows(app, CommunitySizeRow)]
    assert sizes == [3]
    reply = await invoke(app, "ana", "checkin")
    assert reply.text
    await app.uow.projector.drain()
    held = await invoke(app, "ana", "achievements")
    assert "held by 33% of members" in held.text


async def test_a_watching_projector_applies_what_another_process_committed(
    database_url: str, config: CommunityConfig, app: App
) -> None:
    """Rows another process committed (and never projected) are applied by this one's poll."""
    ana = await member(app, "ana")
    other = await build_app(database_url, config, clock=app.clock, upgrade=False)
    try:
        other.uow.settle_after_commit = False
        other.uow.projector.workers = 0  # that process commits but never projects (busy, dead)
        await record(other, [vote(ana, n) for n in range(5)])
    finally:
        await other.close()
    assert await pending(app) == 5
    app.uow.projector.watch(interval=0.01)
    try:
        for _ in range(500):
            if await pending(app) == 0:
                break
            await asyncio.sleep(0.01)
    finally:
        await app.uow.projector.unwatch()
    assert await pending(app) == 0
    assert await counter(app, ana, "votes_cast") == 5
    sizes = await _rows(app, BoardSizeRow)
    assert sizes  # the XP the votes earned reached the boards


async def test_a_batch_reads_the_open_quests_once_however_many_passes(app: App) -> None:
    """A first check-in's batch goes round twice (its unlock pays XP): one read of the quests."""
    app.uow.settle_after_commit = False
    await _quest(app)
    await member(app, "ana")
    await app.uow.projector.drain()
    app.uow.projector.workers = 0  # paused: the check-in waits for the batch below
    await invoke(app, "ana", "checkin")
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if sql.lstrip().startswith("SELECT") and "FROM quests" in sql:
            reads.append(sql)

    engine = app.database.projecting.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        app.uow.projector.workers = 1
        assert await app.uow.projector.run_once() > 0
    finally:
        event.remove(engine, "before_cursor_execute", note)
    unlocks = await _rows(app, MemberAchievementRow)
    assert unlocks, "the first check-in unlocks an achievement (the second pass)"
    assert len(reads) == 1, reads
