"""/report and the moderators' Dismiss / Warn / Lock: the reporter is never revealed."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from bot.app import App
from cogs.kit import Invocation, Reply, Tone
from domain.core.announcements import Target
from storage.outbox import OutboxRow
from tests.cogs.community_support import exported_data
from tests.conftest import actor, invoke
from tests.support.proposals import click


async def _outbox(app: App, kind: str) -> list[tuple[str, str, dict]]:
    o = OutboxRow.__table__
    async with app.database.reader.connect() as conn:
        rows = await conn.execute(
            select(o.c.target, o.c.channel_kind, o.c.payload).where(o.c.kind == kind)
        )
        out = []
        for target, channel, payload in rows:
            data = payload if isinstance(payload, dict) else json.loads(payload)
            out.append((target, channel, data))
        return out


async def _file(app: App) -> Reply:
    await invoke(app, "bob", "checkin")
    return await invoke(app, "ana", "report", "@bob spamming invites in general")


async def test_a_report_goes_to_the_moderators_channel_with_three_buttons(app: App) -> None:
    filed = await _file(app)
    assert filed.tone is Tone.SUCCESS and filed.ephemeral
    ((target, channel, payload),) = await _outbox(app, "report.filed")
    card = Reply.from_dict(payload)
    assert (target, channel) == (str(Target.CHANNEL), "moderation")
    assert [b.action_id for b in card.buttons] == [
        "report.decide:1:dismiss",
        "report.decide:1:warn",
        "report.decide:1:lock",
    ]
    assert "spamming invites" in card.text


async def test_warn_dms_the_member_without_naming_the_reporter(app: App) -> None:
    await _file(app)
    refused = await click(app, "bob", "report.decide:1:warn")
    assert refused.tone is Tone.ERROR  # members cannot decide reports
    done = await invoke(app, "mia", "admin report", "1 warn", mod=True)
    assert done.tone is Tone.SUCCESS, done.text
    ((target, _channel, payload),) = await _outbox(app, "report.warning")
    assert target == str(Target.DM)
    warning = Reply.from_dict(payload)
    assert "ana" not in warning.text and "spamming invites" in warning.text
    again = await invoke(app, "mia", "admin report", "1 lock", mod=True)
    assert again.tone is Tone.ERROR and "already decided" in again.text
    export = await exported_data(app, "bob")
    reports = export["tables"]["reports"]
    assert reports[0]["reporter_id"] is None  # bob's export leaves the reporter out
    assert all(r["actor_id"] in (None, 2) for r in export["tables"]["audit_log"])


async def test_lock_locks_the_member_and_both_land_in_the_audit_log(app: App) -> None:
    await _file(app)
    done = await invoke(app, "mia", "admin report", "1 lock", mod=True)
    assert done.tone is Tone.SUCCESS, done.text
    locked = await invoke(app, "mia", "admin award", "@bob 5 nice", mod=True)
    assert locked.tone is Tone.ERROR and "locked" in locked.text
    log = await invoke(app, "mia", "admin audit", "@bob", mod=True)
    assert "report.lock" in log.text and "member.lock" in log.text


async def test_a_report_needs_someone_else_and_a_reason(app: App) -> None:
    await invoke(app, "ana", "checkin")
    self_report = await invoke(app, "ana", "report", "@ana I am bad")
    assert self_report.tone is Tone.ERROR
    assert await _outbox(app, "report.filed") == []


async def _mod_click(app: App, action_id: str) -> Reply:
    """Press a card's button as mia, a moderator."""
    reply = await app.runner.dispatch(
        Invocation(actor=actor("mia", mod=True), key=uuid.uuid4().hex, action_id=action_id)
    )
    assert reply is not None
    return reply


async def test_a_forged_or_stale_button_is_refused_politely(app: App) -> None:
    await _file(app)
    for args in ("٣:warn", "99999999999:warn", "1:ban", "-1:warn"):
        refused = await _mod_click(app, f"report.decide:{args}")
        assert refused.tone is Tone.ERROR and "no report" in refused.text, args
    stale = await _mod_click(app, "audit.page:x::2")
    assert stale.tone is Tone.ERROR and "out of date" in stale.text
    beyond = await _mod_click(app, "audit.page:0::7")
    assert beyond.tone is Tone.ERROR and "no page 7" in beyond.text
    assert (await invoke(app, "mia", "admin report", "1 warn", mod=True)).tone is Tone.SUCCESS
