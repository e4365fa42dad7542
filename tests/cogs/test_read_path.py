"""A read (`/points balance`, `/leaderboard`): one unit of work once the caller is known.

Reads wait for the caller's own writes to be projected, and need the caller's
member id for that wait before their transaction starts. The runner remembers
which member an account acts as, so a known caller's read is a single read
transaction; these tests pin that, and that a moved or erased account is
still read as the member it is now.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from cogs.kit import Tone
from domain.core.ids import MemberId
from tests.cogs.community_support import (
    assert_db_clean,
    discord,
    link_accounts,
    link_workspaces,
    member_of,
    run,
    slack,
)
from tests.conftest import invoke


class _Transactions:
    """Counts the transactions begun on one of the database's engines (members' reads')."""

    def __init__(self, app: App, engine: AsyncEngine | None = None) -> None:
        self.engine = (engine or app.database.quick).sync_engine
        self.count = 0

    def _begun(self, *_: Any) -> None:
        self.count += 1

    def __enter__(self) -> _Transactions:
        event.listen(self.engine, "begin", self._begun)
        return self

    def __exit__(self, *_: Any) -> None:
        event.remove(self.engine, "begin", self._begun)


async def test_a_known_members_read_is_one_read_transaction(app: App) -> None:
    await invoke(app, "alice", "checkin")
    with _Transactions(app) as began, _Transactions(app, app.database.reader) as threaded:
        reply = await invoke(app, "alice", "points balance")
    assert reply.tone is not Tone.ERROR, reply.text
    assert began.count == 1
    if app.database.is_sqlite:  # on the loop's own readers, not the threaded ones
        assert threaded.count == 0 and app.database.quick is not app.database.reader


async def test_a_newcomers_first_read_enrols_them_then_reads(app: App) -> None:
    reply = await invoke(app, "zoe", "points balance")
    assert reply.tone is not Tone.ERROR and "**0**" in reply.text, reply.text
    again = await invoke(app, "zoe", "leaderboard", "points all")
    assert again.tone is not Tone.ERROR, again.text


async def test_a_read_after_an_unlink_reads_the_new_member_not_the_remembered_one(
    app: App,
) -> None:
    await run(app, slack("alice"), "checkin")
    await link_workspaces(app)
    await run(app, discord("alice"), "checkin")
    await link_accounts(app, discord("alice"), slack("alice"))
    kept = await member_of(app, slack("alice"))
    before = await run(app, slack("alice"), "points balance")  # remembered as `kept`
    assert "**0**" not in before.text, before.text

    await run(app, slack("alice"), "unlink")
    after = await run(app, slack("alice"), "points balance")
    assert "**0**" in after.text, after.text
    who = slack("alice")
    remembered = app.runner.enrolled.get(("slack", who.workspace_id, who.user_id))
    assert remembered == await member_of(app, who) != kept
    await assert_db_clean(app)


async def test_a_read_by_an_erased_account_starts_again_as_a_newcomer(app: App) -> None:
    await invoke(app, "ana", "checkin")
    assert "**0**" not in (await invoke(app, "ana", "points balance")).text
    done = await invoke(app, "ana", "mydata delete", "yes")
    assert done.tone is Tone.SUCCESS, done.text
    again = await invoke(app, "ana", "points balance")
    assert again.tone is not Tone.ERROR and "**0**" in again.text, again.text


def test_the_remembered_accounts_are_bounded_and_the_oldest_go_first() -> None:
    from cogs.kit.reads import EnrolledAccounts

    remembered = EnrolledAccounts(most=2)
    remembered.remember(("discord", "w", "a"), MemberId(1))
    remembered.remember(("discord", "w", "b"), MemberId(2))
    remembered.remember(("discord", "w", "a"), MemberId(3))  # moved (a merge): now the newest
    remembered.remember(("discord", "w", "c"), MemberId(4))  # over the bound: "b" goes
    assert len(remembered) == 2
    assert remembered.get(("discord", "w", "b")) is None
    assert remembered.get(("discord", "w", "a")) == 3
    remembered.forget(("discord", "w", "a"))
    assert remembered.get(("discord", "w", "a")) is None and len(remembered) == 1
