"""Fixtures shared by the storage tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Table

from storage.engine import Database
from tests.support.scratch import scratch_table


@pytest.fixture
async def scratch(database_url: str) -> AsyncIterator[tuple[Database, Table]]:
    """A table of the test's own (id, name) on the test's engine."""
    async with scratch_table(database_url) as made:
        yield made
