"""Run an Alembic command (a downgrade, say) on a test's database, as `guildhall` would."""

from __future__ import annotations

from bot.app import App
from storage import migrate


async def alembic(app: App, command_name: str, revision: str) -> None:
    """`alembic <command_name> <revision>` on the app's writer, in one transaction."""
    from alembic import command

    def run(connection: object) -> None:
        config = migrate.alembic_config(str(app.database.writer.url))
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, revision)

    async with app.database.writer.begin() as conn:
        await conn.run_sync(run)
