"""/help: the list and one command's details, as members and moderators see them."""

from __future__ import annotations

from bot.app import App
from tests.conftest import invoke


async def test_help_explains_a_group_at_any_depth(app: App) -> None:
    quest = await invoke(app, "mia", "help", "admin quest", mod=True)
    assert quest.title == "/admin quest"
    for name in ("create", "review", "submissions"):
        assert f"`/admin quest {name}" in quest.text
    assert "`/quests`" not in quest.text
    spaced = await invoke(app, "mia", "help", "/admin  quest  create", mod=True)
    assert "`/admin quest create <title>" in spaced.text


async def test_help_tells_a_member_a_command_is_for_moderators(app: App) -> None:
    award = await invoke(app, "ana", "help", "admin award")
    assert award.text == "`/admin award` is for moderators."
    assert "<member>" not in award.text
    unknown = await invoke(app, "ana", "help", "nonsense")
    assert "No command `/nonsense`" in unknown.text


async def test_a_big_group_is_one_line_in_the_list_and_listed_by_its_name(app: App) -> None:
    listing = await invoke(app, "mia", "help", mod=True)
    assert "`/admin …` —" in listing.text and "`/help admin`" in listing.text
    assert "`/points give <member> <amount> [reason]`" in listing.text
    admin = await invoke(app, "mia", "help", "admin", mod=True)
    assert "`/admin award <member>" in admin.text and "`/admin audit" in admin.text
