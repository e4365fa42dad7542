"""What a newcomer typing into the console hit (issue 11 §4, §5): each pinned by a test."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.app import App
from bot.console import ConsoleAdapter
from cogs.kit import messages
from storage.identity import MemberRow
from tests.support.console import run_console


async def members(app: App) -> int:
    async with app.database.reader.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(MemberRow))).scalar_one())


async def test_a_platform_mention_or_control_character_is_no_console_name(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    await console.handle_line("/checkin")
    before = await members(app)
    for line in ["/as <@U123>", "/as <@U123|bob>", "/as na\x00me", "/as @", "/as x\ud800"]:
        out = await console.handle_line(line)
        assert out is not None and "NAME is one word" in out, line
        assert console.actor_name == "alice"
        await console.handle_line("/checkin")
    for line in ["/points give <@U123> 2 thanks", "/points give @bo\x00b 2 thanks"]:
        out = await console.handle_line(line)
        assert out is not None and "must mention a member" in out, line
    assert await members(app) == before
    assert app.runner.unhandled_errors == 0


async def test_names_are_case_insensitive(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    await console.handle_line("/as bob")
    await console.handle_line("/checkin")
    assert await console.handle_line("/as Bob") == "Now acting as bob."
    await console.handle_line("/as alice")
    await console.handle_line("/checkin")
    gave = await console.handle_line("/points give @Bob 2 thanks")
    assert gave is not None and "@alice gave @bob 2 points" in gave
    assert "@bob has 12 points" in (await console.handle_line("/points balance @BOB") or "")


async def test_an_unknown_name_is_quoted_as_a_mention(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    await console.handle_line("/checkin")
    out = await console.handle_line("/points give @here 2 thanks")
    # It read "I don't know a member called here here yet."
    assert out is not None and "a member called @here in this community" in out


async def test_a_bad_page_number_gets_a_page_message(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    await console.handle_line("/checkin")
    await console.handle_line('/proposal create feature "Dark mode" A dark theme')
    for line in ["/points history 0", "/points history -1"]:
        out = await console.handle_line(line)
        assert out is not None and "page must be at least 1" in out, out
    listed = await console.handle_line("/proposals 2")
    assert listed is not None and "status must be one of" not in listed and "Page 1 of 1" in listed


async def test_help_on_the_console_shows_no_raw_backticks(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    for line in ["/help", "/help points give", "/nope", "/points"]:
        out = await console.handle_line(line)
        assert out is not None and "`" not in out, out


async def test_the_nudge_footer_command_works_as_written(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    for code, setting in [
        ("notifications.nudge.footer", "Tier nudges: off"),
        ("notifications.reminder.footer", "Streak reminders: off"),
    ]:
        footer = messages.text(code)
        suggested = footer[footer.index("/settings") :]
        out = await console.handle_line(suggested)
        assert out is not None and setting in out, (suggested, out)


async def test_settings_notifications_off_says_what_it_changed(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    out = await console.handle_line("/settings notifications off")
    assert out is not None and "Changed: Streak reminders → off." in out
    shown = await console.handle_line("/settings notifications")
    assert shown is not None and "Changed" not in shown


async def test_react_acts_on_the_card_the_member_last_saw(app: App) -> None:
    console = ConsoleAdapter(app.runner)
    await console.handle_line('/proposal create feature "Dark mode" A dark theme')
    await console.handle_line('/proposal create feature "Light mode" A light theme')
    await console.handle_line("/as bob")
    await console.handle_line("/proposal show 1")  # only bob sees it: his last card
    out = await console.handle_line("/react 👍")
    assert out is not None and "#1" in out and "#2" not in out, out
    await console.handle_line("/as carol")  # carol saw only the public card of #2
    out = await console.handle_line("/react 👍")
    assert out is not None and "#2" in out, out


def test_quit_ends_a_script(tmp_path: Path) -> None:
    result = run_console(tmp_path, "/checkin\n/quit\n/points balance\n", "--no-demo")
    assert result.returncode == 0, result.stderr
    assert "/checkin" in result.stdout and "points balance" not in result.stdout
    assert "I don't know" not in result.stdout
