"""Two members into one: the rules where adding up or choosing is what a member expects.

The rules are stated in `domain.linking.service`; rows of tables without a rule
of their own follow the member through `storage.merging.move` unless the
survivor already has the same once-per-member fact.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.core.activity import known_counters
from domain.core.ids import CommunityId
from storage.base import Base
from storage.board_counts import count_scores
from storage.merging import MEMBER_HISTORY, move, per_member_rows
from storage.merging import table_named as _t


async def merge_members(
    conn: AsyncConnection,
    community_id: int,
    survivor: int,
    absorbed: int,
    only: Collection[str] | None = None,
) -> dict[str, int]:
    """Move the absorbed member's facts to the survivor; counts of what was added or dropped.

    With `only`, just the tables named (the projections' tables, when a logged
    merge is applied again by a rebuild): the same rules, written once.
    """

    def wanted(*names: str) -> bool:
        return only is None or any(n in only for n in names)

    facts: dict[str, int] = {}
    if wanted("member_xp"):
        facts["xp"] = await _add_row(conn, "member_xp", survivor, absorbed, ("xp",))
    if wanted("proposal_votes"):
        facts["votes_dropped"] = await _votes(conn, survivor, absorbed)
    if wanted("checkins", "streaks"):
        facts["checkins_dropped"] = await _checkins(conn, survivor, absorbed)
    if wanted("member_achievements", "achievement_holders"):
        facts["achievements_added"] = await _achievements(conn, community_id, survivor, absorbed)
    if wanted("board_scores", "board_sizes"):
        await _boards(conn, community_id, survivor, absorbed)
    if wanted("member_counters"):
        await _keyed_sums(conn, "member_counters", ("counter",), "value", survivor, absorbed)
    if wanted("quest_progress"):
        await _quest_progress(conn, survivor, absorbed)
    handled = {"member_xp", "proposal_votes", "checkins", "streaks", "member_achievements"}
    handled |= {"board_scores", "member_counters", "quest_progress"}
    for table in Base.metadata.sorted_tables:
        if table.name in handled or table.name in MEMBER_HISTORY or not wanted(table.name):
            continue
        # payer_id: an open escrow hold of the absorbed member refunds to the survivor
        for column in ("member_id", "author_id", "payer_id"):
            if column in table.c and table.name != "members":
                await move(conn, table, column, absorbed, survivor)
    return facts


async def _add_row(
    conn: AsyncConnection, name: str, survivor: int, absorbed: int, columns: Iterable[str]
) -> int:
    """A one-row-per-member total: add the absorbed row into the survivor's; the amount added."""
    table = _t(name)
    if table is None:
        return 0
    m = table.c.member_id
    row = (await conn.execute(select(table).where(m == absorbed))).mappings().first()
    if row is None:
        return 0
    cols = list(columns)
    mine = (await conn.execute(select(table).where(m == survivor))).first()
    if mine is None:
        await conn.execute(update(table).where(m == absorbed).values(member_id=survivor))
    else:
        await conn.execute(
            update(table).where(m == survivor).values({c: table.c[c] + row[c] for c in cols})
        )
        await conn.execute(delete(table).where(m == absorbed))
    return int(row[cols[0]])


async def _keyed_sums(
    conn: AsyncConnection,
    name: str,
    key: Sequence[str],
    value: str,
    survivor: int,
    absorbed: int,
) -> None:
    """Per-member counters by key: add where both have one, move the rest.

    Best-of counters take the larger value instead of adding.
    """
    table = _t(name)
    if table is None:
        return
    m = table.c.member_id
    rows = (await conn.execute(select(table).where(m == absorbed))).mappings().all()
    for row in rows:
        match = and_(m == survivor, *[table.c[k] == row[k] for k in key])
        spec = known_counters().get(str(row[key[0]]))
        merged = (
            func.max(table.c[value], row[value])
            if spec is not None and spec.best_of
            else table.c[value] + row[value]
        )
        if spec is not None and spec.best_of and conn.dialect.name == "postgresql":
            merged = func.greatest(table.c[value], row[value])
        result = await conn.execute(update(table).where(match).values({value: merged}))
        own = and_(m == absorbed, *[table.c[k] == row[k] for k in key])
        if result.rowcount:
            await conn.execute(delete(table).where(own))
        else:
            await conn.execute(update(table).where(own).values(member_id=survivor))


async def _votes(conn: AsyncConnection, survivor: int, absorbed: int) -> int:
    """One vote per proposal: where both voted, the earlier vote is kept."""
    table = _t("proposal_votes")
    if table is None:
        return 0
    m, p = table.c.member_id, table.c.proposal_id
    mine = {
        r.proposal_id: r.voted_at
        for r in await conn.execute(select(p, table.c.voted_at).where(m == survivor))
    }
    dropped = 0
    for r in (await conn.execute(select(p, table.c.voted_at).where(m == absorbed))).all():
        if r.proposal_id not in mine:
            continue
        dropped += 1
        loser = survivor if r.voted_at < mine[r.proposal_id] else absorbed
        await conn.execute(delete(table).where(p == r.proposal_id, m == loser))
    await conn.execute(update(table).where(m == absorbed).values(member_id=survivor))
    return dropped


async def _checkins(conn: AsyncConnection, survivor: int, absorbed: int) -> int:
    """A day both checked in counts once; the better streak is kept."""
    checkins, streaks = _t("checkins"), _t("streaks")
    if checkins is None or streaks is None:
        return 0
    m = checkins.c.member_id
    days = {r[0] for r in await conn.execute(select(checkins.c.local_date).where(m == survivor))}
    top = (await conn.execute(select(func.max(checkins.c.seq)).where(m == survivor))).scalar()
    seq = int(top or 0)
    theirs = (
        (await conn.execute(select(checkins).where(m == absorbed).order_by(checkins.c.seq)))
        .mappings()
        .all()
    )
    dropped = 0
    moved = []
    for row in theirs:
        if row["local_date"] in days:
            dropped += 1
            continue
        seq += 1
        days.add(row["local_date"])
        moved.append({**row, "member_id": survivor, "seq": seq})
    await conn.execute(delete(checkins).where(m == absorbed))
    if moved:  # one executemany, not a statement per day
        await conn.execute(checkins.insert(), moved)
    total = (
        await conn.execute(select(func.count()).select_from(checkins).where(m == survivor))
    ).scalar()
    s = streaks.c.member_id
    rows: dict[int, Mapping[str, Any]] = {
        r["member_id"]: dict(r)
        for r in (await conn.execute(select(streaks).where(s.in_([survivor, absorbed])))).mappings()
    }
    other = rows.get(absorbed)
    if other is None:
        return dropped
    mine = rows.get(survivor)
    if mine is None:
        await per_member_rows(conn, int(other["community_id"]), survivor)
        mine = {**other, "current": 0, "longest": 0, "freezes": 0, "last_local_date": None}
    better = max(
        (mine, other),
        key=lambda r: (r["current"], r["last_local_date"] is not None, r["last_local_date"] or 0),
    )
    await conn.execute(
        update(streaks)
        .where(s == survivor)
        .values(
            current=better["current"],
            last_checkin_at=better["last_checkin_at"],
            last_local_date=better["last_local_date"],
            longest=max(mine["longest"], other["longest"]),
            freezes=mine["freezes"] + other["freezes"],
            total=int(total or 0),
        )
    )
    await conn.execute(
        update(streaks)
        .where(s == absorbed)
        .values(
            current=0, longest=0, total=0, freezes=0, last_checkin_at=None, last_local_date=None
        )
    )
    return dropped


async def _achievements(
    conn: AsyncConnection, community_id: int, survivor: int, absorbed: int
) -> int:
    """The union; one both held keeps the earlier unlock and counts one holder."""
    held, holders = _t("member_achievements"), _t("achievement_holders")
    if held is None:
        return 0
    m, a = held.c.member_id, held.c.achievement_id
    mine = {
        r[0]: r[1] for r in await conn.execute(select(a, held.c.unlocked_at).where(m == survivor))
    }
    added = 0
    for r in (await conn.execute(select(a, held.c.unlocked_at).where(m == absorbed))).all():
        if r[0] in mine:
            if r[1] < mine[r[0]]:
                await conn.execute(
                    update(held).where(m == survivor, a == r[0]).values(unlocked_at=r[1])
                )
            await conn.execute(delete(held).where(m == absorbed, a == r[0]))
            if holders is not None:
                counts = [c for c in holders.c if c.name not in ("community_id", "achievement_id")]
                await conn.execute(
                    update(holders)
                    .where(holders.c.community_id == community_id, holders.c.achievement_id == r[0])
                    .values({c.name: c - 1 for c in counts})
                )
        else:
            await conn.execute(
                update(held).where(m == absorbed, a == r[0]).values(member_id=survivor)
            )
            added += 1
    return added


async def _boards(conn: AsyncConnection, community_id: int, survivor: int, absorbed: int) -> None:
    """Scores add per board and season; a season both were on counts one member fewer.

    The members per score follow: the two old scores lose one each, the sum gains one.
    """
    scores, sizes = _t("board_scores"), _t("board_sizes")
    if scores is None:
        return
    m = scores.c.member_id
    mine = {
        (r.board, r.season): int(r.score)
        for r in await conn.execute(
            select(scores.c.board, scores.c.season, scores.c.score).where(m == survivor)
        )
    }
    moved: dict[tuple[CommunityId, str, str, int], int] = {}
    rows = (await conn.execute(select(scores).where(m == absorbed))).mappings().all()
    for r in rows:
        scope = (
            scores.c.community_id == r["community_id"],
            scores.c.board == r["board"],
            scores.c.season == r["season"],
        )
        if (r["board"], r["season"]) in mine:
            await conn.execute(
                update(scores)
                .where(*scope, m == survivor)
                .values(score=scores.c.score + r["score"], updated_at=r["updated_at"])
            )
            await conn.execute(delete(scores).where(*scope, m == absorbed))
            theirs, ours = int(r["score"]), mine[(r["board"], r["season"])]
            season = (CommunityId(r["community_id"]), r["board"], r["season"])
            for score, n in ((theirs, -1), (ours, -1), (theirs + ours, 1)):
                moved[(*season, score)] = moved.get((*season, score), 0) + n
            if sizes is not None:
                await conn.execute(
                    update(sizes)
                    .where(
                        sizes.c.community_id == r["community_id"],
                        sizes.c.board == r["board"],
                        sizes.c.season == r["season"],
                    )
                    .values(members=sizes.c.members - 1)
                )
        else:
            await conn.execute(
                update(scores).where(*scope, m == absorbed).values(member_id=survivor)
            )
    await count_scores(conn, moved)


async def _quest_progress(conn: AsyncConnection, survivor: int, absorbed: int) -> None:
    """Progress toward one quest in one period adds up; the earlier completion is kept."""
    table = _t("quest_progress")
    if table is None:
        return
    m = table.c.member_id
    for r in (await conn.execute(select(table).where(m == absorbed))).mappings().all():
        scope = (table.c.quest_id == r["quest_id"], table.c.period == r["period"])
        mine = (await conn.execute(select(table).where(*scope, m == survivor))).mappings().first()
        if mine is None:
            await conn.execute(
                update(table).where(*scope, m == absorbed).values(member_id=survivor)
            )
            continue
        done = [d for d in (mine["completed_at"], r["completed_at"]) if d is not None]
        await conn.execute(
            update(table)
            .where(*scope, m == survivor)
            .values(
                progress=mine["progress"] + r["progress"], completed_at=min(done) if done else None
            )
        )
        await conn.execute(delete(table).where(*scope, m == absorbed))


async def restanding(
    conn: AsyncConnection, member_id: int, level_for: Callable[[int], tuple[int, int]]
) -> None:
    """Stored level and tier follow the merged XP (the progress feature's curve)."""
    table = _t("member_xp")
    if table is None:
        return
    xp = (await conn.execute(select(table.c.xp).where(table.c.member_id == member_id))).scalar()
    if xp is None:
        return
    level, tier = level_for(int(xp))
    await conn.execute(
        update(table).where(table.c.member_id == member_id).values(level=level, tier_index=tier)
    )
