"""Command and option descriptions are catalogue words: a community can reword them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.settings import load_config
from cogs.kit import messages
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from tests.conftest import invoke

WORDS = """\
"command.checkin" = "Pointage du jour : gardez votre série"
"command.settings timezone.zone" = "Un fuseau IANA, par exemple Europe/Paris"
"""


@pytest.fixture(autouse=True)
def _shipped_words() -> Iterator[None]:
    yield
    messages.use_overrides({})


def _config_with(tmp_path: Path, words: str) -> CommunityConfig:
    (tmp_path / "words.toml").write_text(words, encoding="utf-8")
    (tmp_path / "config.toml").write_text('[community]\nmessages = "words.toml"\n', "utf-8")
    return load_config(tmp_path / "config.toml")


@pytest.fixture
def config(tmp_path: Path) -> CommunityConfig:
    return _config_with(tmp_path, WORDS)


async def test_reworded_descriptions_reach_every_surface(app: App) -> None:
    checkin = app.registry.command("checkin")
    zone = app.registry.command("settings timezone")
    assert checkin is not None and zone is not None
    assert checkin.description == "Pointage du jour : gardez votre série"
    assert zone.options[0].description == "Un fuseau IANA, par exemple Europe/Paris"
    # /help lists commands by their description: the member reads the community's words.
    assert "Pointage du jour" in str(await invoke(app, "alice", "help"))
    # The rest keep their shipped English.
    give = app.registry.command("points give")
    assert give is not None and give.description == messages.text("command.points give")


async def test_the_shipped_descriptions_are_in_the_catalogue(app: App) -> None:
    catalogue = messages.catalogue()
    assert catalogue["command.checkin"] == "Pointage du jour : gardez votre série"
    assert messages.has("command.points give.amount")


async def test_an_unknown_command_code_stops_the_start(
    tmp_path: Path, database_url: str, clock: FixedClock
) -> None:
    config = _config_with(tmp_path, '"command.chekin" = "typo"\n')
    with pytest.raises(messages.OverrideError, match=r"command\.chekin: no such command"):
        await build_app(database_url, config, clock=clock, upgrade=False)


async def test_a_description_too_long_for_discord_stops_the_start(
    tmp_path: Path, database_url: str, clock: FixedClock
) -> None:
    config = _config_with(tmp_path, f'"command.checkin" = "{"x" * 101}"\n')
    with pytest.raises(messages.OverrideError, match=r"command\.checkin: a description is 1 to"):
        await build_app(database_url, config, clock=clock, upgrade=False)
