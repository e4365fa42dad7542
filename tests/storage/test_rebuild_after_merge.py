"""A rebuild after `/link` merged two members gives what members saw, on both engines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from bot.app import App
from domain.core.clock import FixedClock
from domain.linking.activities import MembersMerged
from storage.activity_log import ActivityLogRow
from storage.progress import MemberXpRow
from storage.projections import PROJECTION_TABLES, pending_activities, rebuild
from tests.cogs.community_support import (
    assert_db_clean,
    discord,
    link_accounts,
    link_workspaces,
    member_of,
    run,
    slack,
    slack_id,
)
from tests.storage.test_projector import snapshot


async def _proposal(app: App) -> int:
    reply = await run(app, discord("ana"), "proposal create", 'feature "Dark mode" A dark theme')
    return int((reply.title or "").split(" ")[0].lstrip("#"))


async def _act(app: App, pid: int) -> None:
    """Both of alice's accounts check in, give and vote, on two days, then they are linked."""
    await link_workspaces(app)
    await run(app, slack("carl"), "checkin")
    for who in (discord("alice"), slack("alice")):
        await run(app, who, "checkin")
        await run(app, who, "points give", f"<@{slack_id('carl')}> 2 thanks")
    await run(app, discord("alice"), "vote", f"{pid} for")
    await run(app, slack("alice"), "vote", f"{pid} against")
    await run(app, slack("carl"), "points give", f"<@{slack_id('alice')}> 3 welcome")


async def _absorbed_rows(app: App, absorbed: int) -> dict[str, list[tuple[object, ...]]]:
    """Projection rows (XP, counters, boards, unlocks, quest progress) naming the absorbed."""
    out: dict[str, list[tuple[object, ...]]] = {}
    async with app.database.reader.connect() as conn:
        for model in (*PROJECTION_TABLES, MemberXpRow):
            table = model.__table__
            if "member_id" in table.c:
                rows = await conn.execute(select(table).where(table.c.member_id == absorbed))
                if found := [tuple(r) for r in rows]:
                    out[table.name] = found
    return out


async def test_a_rebuild_after_a_link_equals_what_was_applied(app: App, clock: FixedClock) -> None:
    """XP, levels, counters, boards, quests and unlocks of the absorbed member stay merged."""
    await run(app, discord("mia", mod=True), "admin quest create", '"Say it" votes 3 40')
    pid = await _proposal(app)
    await _act(app, pid)
    clock.advance(timedelta(days=1))
    for who in (discord("alice"), slack("alice")):
        await run(app, who, "checkin")
    survivor, absorbed = (
        await member_of(app, discord("alice")),
        await member_of(app, slack("alice")),
    )
    assert survivor != absorbed
    linked = await link_accounts(app, discord("alice"), slack("alice"))
    assert await member_of(app, slack("alice")) == survivor, linked.text
    # The survivor acts on: their counters, boards and XP build on the merged ones.
    await run(app, slack("alice"), "points give", f"<@{slack_id('carl')}> 1 again")
    clock.advance(timedelta(days=1))
    await run(app, discord("alice"), "checkin")
    await run(app, slack("carl"), "checkin")
    await assert_db_clean(app)
    before = await snapshot(app)
    assert await _absorbed_rows(app, absorbed) == {}  # all of it moved at the link
    assert before["quest_progress"] and before["member_achievements"] and before["xp_awards"]

    assert await rebuild(app.uow) > 0

    after = await snapshot(app)
    diff = {
        n: (sorted(set(r) - set(after[n])), sorted(set(after[n]) - set(r)))
        for n, r in before.items()
        if after[n] != r
    }
    assert diff == {}, repr(diff)
    await assert_db_clean(app)
    assert await pending_activities(app.database.reader) == 0


async def test_what_the_absorbed_member_did_just_before_the_link_follows_the_merge(
    app: App,
) -> None:
    """Activities committed before the link but projected after it land on the survivor."""
    await link_workspaces(app)
    await run(app, discord("alice"), "checkin")
    await run(app, slack("carl"), "checkin")
    app.uow.settle_after_commit = False
    app.uow.projector.workers = 0  # paused: slack alice's actions wait past the link
    await run(app, slack("alice"), "checkin")
    await run(app, slack("carl"), "points give", f"<@{slack_id('alice')}> 3 welcome")
    absorbed = await member_of(app, slack("alice"))
    await link_accounts(app, discord("alice"), slack("alice"))
    app.uow.projector.workers = 1
    await app.uow.projector.settle()  # as a member's read waits: past the merge too
    assert await pending_activities(app.database.reader) == 0
    assert await _absorbed_rows(app, absorbed) == {}
    await assert_db_clean(app)
    before = await snapshot(app)
    await rebuild(app.uow)
    assert await snapshot(app) == before


async def test_a_merge_made_before_merges_were_logged_is_replayed_at_the_end(
    app: App, clock: FixedClock
) -> None:
    """An older database has member_links but no logged merge: a rebuild still moves it all."""
    await link_workspaces(app)
    for who in (discord("alice"), slack("alice")):
        await run(app, who, "checkin")
    await run(app, slack("carl"), "points give", f"<@{slack_id('alice')}> 3 welcome")
    absorbed = await member_of(app, slack("alice"))
    await link_accounts(app, discord("alice"), slack("alice"))
    async with app.database.writer.begin() as conn:
        log = ActivityLogRow.__table__
        await conn.execute(delete(log).where(log.c.kind == MembersMerged.kind))
    clock.advance(timedelta(days=1))
    await run(app, slack("alice"), "checkin")
    before = await snapshot(app)
    await rebuild(app.uow)
    assert await _absorbed_rows(app, absorbed) == {}
    assert (await snapshot(app))["member_xp"] == before["member_xp"]
    await assert_db_clean(app)
