"""The audit log: moderator actions are recorded once, with who, when and why; /admin audit."""

from __future__ import annotations

from bot.app import App
from cogs.kit import Tone
from tests.conftest import invoke


async def test_awards_revokes_locks_and_unlocks_are_recorded_with_who_and_why(app: App) -> None:
    await invoke(app, "bob", "checkin")
    assert (await invoke(app, "mia", "admin award", "@bob 50 ran the meetup", mod=True)).tone is (
        Tone.SUCCESS
    )
    await invoke(app, "mia", "admin revoke", "@bob 20 double counted", mod=True)
    await invoke(app, "mia", "admin lock", "@bob gift ring", mod=True)
    await invoke(app, "mia", "admin unlock", "@bob", mod=True)

    log = await invoke(app, "mia", "admin audit", mod=True)
    lines = log.text.splitlines()
    assert [line.split("**")[1] for line in lines] == [
        "member.unlock",
        "member.lock",
        "points.revoke",
        "points.award",
    ]
    assert "ran the meetup" in lines[3] and "double counted" in lines[2]
    assert {m.display_name for m in log.mentions} == {"mia", "bob"}


async def test_a_refused_action_leaves_no_record(app: App) -> None:
    await invoke(app, "bob", "checkin")
    refused = await invoke(app, "mia", "admin revoke", "@bob 5000 too much", mod=True)
    assert refused.tone is Tone.ERROR
    log = await invoke(app, "mia", "admin audit", mod=True)
    assert "points.revoke" not in log.text
    assert "Nothing recorded yet." in log.text


async def test_the_log_filters_by_member_and_kind_and_pages(app: App) -> None:
    for name in ("bob", "cat"):
        await invoke(app, name, "checkin")
    for i in range(12):
        await invoke(app, "mia", "admin award", f"@bob {i + 1} round {i}", mod=True)
    await invoke(app, "mia", "admin lock", "@cat spam", mod=True)

    about_cat = await invoke(app, "mia", "admin audit", "@cat", mod=True)
    assert about_cat.text.count("\n") == 0 and "member.lock" in about_cat.text
    awards = await invoke(app, "mia", "admin audit", "--kind points.", mod=True)
    assert awards.text.count("points.award") == 10
    assert awards.footer is not None and "Page 1 of 2" in awards.footer
    page2 = await invoke(app, "mia", "admin audit", "--kind points. --page 2", mod=True)
    assert page2.text.count("points.award") == 2 and "round 0" in page2.text


async def test_members_cannot_read_the_audit_log(app: App) -> None:
    refused = await invoke(app, "bob", "admin audit")
    assert refused.tone is Tone.ERROR
