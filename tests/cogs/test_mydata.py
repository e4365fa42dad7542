"""/mydata export and delete, /admin member delete: the member's data rights."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from cogs.kit import Tone
from storage.identity import AccountRow, MemberRow
from storage.outbox import OutboxRow
from storage.proposals import ProposalVoteRow
from tests.cogs.community_support import assert_db_clean, exported_data
from tests.conftest import invoke
from tests.support.proposals import propose


async def _export(app: App, who: str) -> dict:
    return await exported_data(app, who)


async def test_export_holds_everything_about_the_member_and_nothing_of_others(app: App) -> None:
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    await invoke(app, "ana", "points give", "@bob 3 thanks for the review")
    pid = await propose(app, "bob", 'feature "Dark mode" A dark theme --anonymous')
    await invoke(app, "ana", "vote", f"{pid} for")
    settings = await invoke(app, "ana", "settings notifications", "--reminders off")
    assert settings.tone is not Tone.ERROR, settings.text
    await invoke(app, "mia", "admin lock", "@ana under review", mod=True)

    data = await _export(app, "ana")
    assert data["format"] == "guildhall.mydata/1"
    assert data["member"]["display_name"] == "ana"
    assert data["accounts"] == [{"platform": "console", "workspace_id": "demo", "user_id": "ana"}]
    tables = data["tables"]
    ledger = [(r["kind"], r["amount"]) for r in tables["ledger"] if r["member_id"] == 1]
    assert ("earned", 10) in ledger and ("gifted", -3) in ledger
    assert [(v["proposal_id"], v["choice"]) for v in tables["proposal_votes"]] == [(pid, "for")]
    assert len(tables["checkins"]) == 1 and "streaks" in tables
    assert tables["notification_prefs"][0]["reminders"] is False
    locks = [r for r in tables["audit_log"] if r["kind"] == "member.lock"]
    assert locks and locks[0]["reason"] == "under review"
    ids = {r.get("member_id") for rows in tables.values() for r in rows} - {None}
    assert ids <= {1, 2}  # bob appears only on ana's own gift (its receiving side)
    bob = await _export(app, "bob")
    assert "proposal_votes" not in bob["tables"]  # ana's anonymous vote is hers alone


async def test_delete_asks_first_then_leaves_a_tombstone_that_keeps_totals(app: App) -> None:
    await invoke(app, "ana", "checkin")
    await invoke(app, "bob", "checkin")
    pid = await propose(app, "bob", 'feature "Dark mode" A dark theme')
    await invoke(app, "ana", "vote", f"{pid} for")
    await invoke(app, "ana", "points give", "@bob 3 my secret reason")

    ask = await invoke(app, "ana", "mydata delete")
    assert ask.tone is Tone.WARNING and [b.action_id for b in ask.buttons] == [
        "mydata.erase",
        "mydata.keep",
    ]
    assert (await _export(app, "ana"))["member"]["display_name"] == "ana"

    done = await invoke(app, "ana", "mydata delete", "yes")
    assert done.tone is Tone.SUCCESS, done.text
    async with app.database.reader.connect() as conn:
        name = (
            await conn.execute(select(MemberRow.display_name).where(MemberRow.id == 1))
        ).scalar()
        accounts = (
            await conn.execute(
                select(func.count()).select_from(AccountRow).where(AccountRow.member_id == 1)
            )
        ).scalar()
        votes = (
            (
                await conn.execute(
                    select(ProposalVoteRow.member_id).where(ProposalVoteRow.proposal_id == pid)
                )
            )
            .scalars()
            .all()
        )
    assert (name, accounts, votes) == ("deleted member", 0, [1])
    shown = await invoke(app, "bob", "proposal show", str(pid))
    assert "For **1**" in str(shown.fields)  # the tally still counts the vote
    board = await invoke(app, "bob", "leaderboard", "points all")
    assert "deleted member" in {m.display_name for m in board.mentions}
    history = await invoke(app, "bob", "points history")
    assert "my secret reason" not in history.text
    await assert_db_clean(app)

    # The same platform account, back later, is a new member with nothing.
    again = await invoke(app, "ana", "points balance")
    assert "**0**" in again.text


async def test_moderators_erase_a_member_on_request_with_a_reason_on_record(app: App) -> None:
    await invoke(app, "ana", "checkin")
    refused = await invoke(app, "bob", "admin member delete", "@ana because")
    assert refused.tone is Tone.ERROR
    done = await invoke(app, "mia", "admin member delete", "@ana emailed a GDPR request", mod=True)
    assert done.tone is Tone.SUCCESS, done.text
    log = await invoke(app, "mia", "admin audit", "--kind member.delete", mod=True)
    assert "emailed a GDPR request" in log.text
    await assert_db_clean(app)


async def test_erasing_blanks_the_copies_of_the_exports_sent_by_dm(app: App) -> None:
    await invoke(app, "ana", "checkin")
    assert (await _export(app, "ana"))["member"]["display_name"] == "ana"
    await invoke(app, "ana", "mydata delete", "yes")
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = (
            await conn.execute(select(o.c.payload, o.c.status).where(o.c.kind == "mydata_export"))
        ).all()
    assert [(dict(p), s) for p, s in rows] == [({"text": "[deleted]"}, "failed")]
