"""The declarative base every table model derives from."""

from typing import ClassVar

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Typed models; repositories query them with Core statements on hot paths."""

    metadata = MetaData(naming_convention=NAMING)
    # Every model maps one Table (SQLAlchemy types it as any FromClause), and
    # repositories build Core insert/update/delete statements on it.
    __table__: ClassVar[Table]
