"""Apply Alembic migrations from code (`guildhall db upgrade`, `guildhall run`, tests).

Alembic is imported only when a migration runs: it was about half of the
0.8 s that `import bot.app` took, paid by every start-up and CLI call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations, without an alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    # Feature branches of migrations each descend from the foundation revision.
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "heads") -> None:
    """Bring the schema up to `revision` (all heads by default) on this engine."""
    from alembic import command

    def _upgrade(connection: object) -> None:
        config = alembic_config(str(engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
