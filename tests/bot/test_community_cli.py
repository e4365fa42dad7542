"""`guildhall import mee6|csv` and `guildhall export csv`: matched by platform id, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import App
from bot.cli import build_parser
from bot.community_cli import export_csv, rows_from, run_import, summary
from domain.core.errors import InvalidInputError
from domain.identity import Platform
from domain.mydata.imports import ImportRow, parse_csv, to_csv
from storage.points import LedgerRow
from storage.progress import MemberXpRow
from tests.cogs.community_support import assert_db_clean, total_points
from tests.conftest import invoke

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "mee6_leaderboard.json"
GUILD = "290926798626357999"


def _args(*words: str) -> object:
    return build_parser().parse_args(list(words))


async def _xp(app: App) -> dict[int, int]:
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(select(MemberXpRow.member_id, MemberXpRow.xp))
        return {int(m): int(x) for m, x in rows}


async def test_mee6_import_dry_run_then_once_then_nothing(app: App) -> None:
    source, rows = rows_from(_args("import", "mee6", "--guild", GUILD, "--file", str(SAMPLE)))
    assert [(r.user_id, r.name, r.xp) for r in rows] == [
        ("111111111111111111", "alice", 14893),
        ("222222222222222222", "bob", 2300),
    ]
    dry = await run_import(app, source, rows, dry_run=True)
    assert [o.new_member for o in dry] == [True, True]
    assert "would grant 2 of 2 rows: 17193 XP" in summary(dry, dry_run=True)
    assert await _xp(app) == {}

    done = await run_import(app, source, rows, dry_run=False)
    assert sorted((await _xp(app)).values()) == [2300, 14893]
    assert "granted 2 of 2 rows" in summary(done, dry_run=False)
    again = await run_import(app, source, rows, dry_run=False)
    assert {o.skipped for o in again} == {"already imported"}
    assert sorted((await _xp(app)).values()) == [2300, 14893]


async def test_csv_import_matches_existing_members_by_platform_id(app: App, tmp_path: Path) -> None:
    await invoke(app, "ana", "checkin")  # console account "ana" in workspace "demo"
    before = await total_points(app)
    path = tmp_path / "xp.csv"
    path.write_text("user_id,xp,points,name\nana,120,30,Ana\nnewbie,5,7,Newbie\n")
    source, rows = rows_from(
        _args("import", "csv", "--file", str(path), "--platform", "console", "--workspace", "demo")
    )
    done = await run_import(app, source, rows, dry_run=False)
    assert [(o.new_member, o.points) for o in done] == [(False, 30), (True, 7)]
    assert await total_points(app) == before + 37
    balance = await invoke(app, "ana", "points balance")
    assert "**40**" in balance.text
    await run_import(app, source, rows, dry_run=False)
    assert await total_points(app) == before + 37
    async with app.database.reader.connect() as conn:
        imported = await conn.execute(
            select(func.count()).select_from(LedgerRow).where(LedgerRow.source == "import")
        )
        assert imported.scalar_one() == 2
    await assert_db_clean(app)


async def test_export_reads_back_as_the_same_totals(app: App) -> None:
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    await invoke(app, "ana", "points give", "@bob 4")
    exported = await export_csv(app, None)
    rows = parse_csv(exported)
    assert [(r.platform, r.user_id, r.points) for r in rows] == [
        (Platform.CONSOLE, "ana", 6),
        (Platform.CONSOLE, "bob", 14),
    ]
    assert all(r.xp > 0 for r in rows)


def test_bad_files_are_refused_with_the_line() -> None:
    with pytest.raises(InvalidInputError) as err:
        parse_csv("user_id,xp\nana,lots\n", Platform.DISCORD, "G1")
    assert err.value.params["problem"] == "line 2: xp must be a whole number"
    with pytest.raises(InvalidInputError):
        parse_csv("name,xp\nana,1\n", Platform.DISCORD, "G1")


@given(st.text(max_size=200))
def test_any_csv_text_parses_or_is_refused_politely(text: str) -> None:
    try:
        rows = parse_csv(text, Platform.SLACK, "T1")
    except InvalidInputError as err:
        assert err.params["problem"]  # a refusal that says what is wrong
        return
    for row in rows:
        assert row.user_id and 0 <= row.xp <= 10**9 and 0 <= row.points <= 10**9


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=20)


@given(
    st.lists(
        st.tuples(ids, st.integers(0, 10**9), st.integers(0, 10**9), st.text(max_size=30)),
        max_size=10,
    )
)
def test_exported_rows_parse_back_unchanged(rows: list[tuple[str, int, int, str]]) -> None:
    written = [
        {
            "platform": "discord",
            "workspace_id": "G1",
            "user_id": u,
            "name": n,
            "xp": x,
            "points": p,
            "member_id": i,
            "accounts": "",
        }
        for i, (u, x, p, n) in enumerate(rows)
    ]
    back = parse_csv(to_csv(written))
    assert back == [
        ImportRow(Platform.DISCORD, "G1", u, (n.strip() or u)[:100], x, p) for u, x, p, n in rows
    ]
