"""Migrations and models agree, on every engine; `db check` finds tampering."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import update

from bot.app import App
from storage.base import Base
from storage.check import balance_mismatches
from storage.points import BalanceRow
from tests.conftest import invoke


async def test_migrated_schema_matches_the_models(app: App) -> None:
    def diff(sync_conn: object) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": False})
        return [
            d
            for d in compare_metadata(context, Base.metadata)
            if not (
                isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version"
            )
        ]

    async with app.database.writer.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == [], "models changed without a migration: " + repr(differences)


async def test_db_check_reports_a_planted_mismatch(app: App) -> None:
    await invoke(app, "alice", "checkin")
    await invoke(app, "bob", "checkin")
    assert await balance_mismatches(app.database.reader) == []
    async with app.database.writer.begin() as conn:
        await conn.execute(update(BalanceRow).where(BalanceRow.member_id == 1).values(points=99))
    mismatches = await balance_mismatches(app.database.reader)
    assert [(m.member_id, m.cached, m.ledger) for m in mismatches] == [(1, 99, 10)]


async def test_balance_cannot_go_negative_even_bypassing_the_service(app: App) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    await invoke(app, "alice", "checkin")
    with pytest.raises(IntegrityError):
        async with app.database.writer.begin() as conn:
            await conn.execute(update(BalanceRow).values(points=-1))
