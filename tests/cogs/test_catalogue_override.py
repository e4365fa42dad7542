"""A community rewords the catalogue with an override file that config.toml points at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import ConfigError, load_config
from cogs.kit import messages
from domain.core.config import CommunityConfig
from tests.conftest import invoke

EXAMPLE = Path(__file__).parents[2] / "docs" / "messages.example.toml"


@pytest.fixture(autouse=True)
def _shipped_words() -> Iterator[None]:
    yield
    messages.use_overrides({})


def _config_with(tmp_path: Path, words: str) -> Path:
    (tmp_path / "words.toml").write_text(words, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[community]\nmessages = "words.toml"\n', encoding="utf-8")
    return config


def test_the_documented_example_override_is_valid(tmp_path: Path) -> None:
    config = _config_with(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    loaded = load_config(config)
    assert loaded.community.messages == str(tmp_path / "words.toml")
    overrides = messages.read_overrides(Path(loaded.community.messages))
    assert overrides["proposals.button.for"] == "Yes"
    assert overrides["quests.goal.checkins"] == "{n} passage|{n} passages"


def test_overridden_words_replace_the_shipped_ones_and_the_rest_stay(tmp_path: Path) -> None:
    load_config(_config_with(tmp_path, '[checkin]\nstreak_day = "**{days}** days in a row"\n'))
    shipped_new = messages.text("checkin.streak_new")
    messages.use_overrides(messages.read_overrides(tmp_path / "words.toml"))
    assert messages.text("checkin.streak_day", days=4) == "**4** days in a row"
    assert messages.text("checkin.streak_new") == shipped_new
    messages.use_overrides({})
    assert "4" in messages.text("checkin.streak_day", days=4)
    assert messages.text("checkin.streak_day", days=4) != "**4** days in a row"


def test_an_unknown_code_stops_the_start_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"checkin\.streek_day: no such message"):
        load_config(_config_with(tmp_path, '"checkin.streek_day" = "x"\n'))


def test_a_parameter_the_words_do_not_have_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"checkin\.streak_day: unknown parameter \{weeks\}"):
        load_config(_config_with(tmp_path, '[checkin]\nstreak_day = "{weeks} weeks"\n'))


@pytest.fixture
def config(tmp_path: Path) -> CommunityConfig:
    """The app fixture's config: one that points at an override of /help's title."""
    return load_config(_config_with(tmp_path, '[help]\ntitle = "What I can do"\n'))


async def test_a_running_app_answers_with_the_override(app: App) -> None:
    reply = await invoke(app, "alice", "help")
    assert reply.title == "What I can do"


def test_the_whole_catalogue_prints_as_a_valid_override(tmp_path: Path) -> None:
    from cogs.kit.export_messages import export

    (tmp_path / "all.toml").write_text(export(), encoding="utf-8")
    everything = messages.read_overrides(tmp_path / "all.toml")
    assert everything["help.title"] == "Guildhall commands"
    assert "quests.board_title" in everything and "proposals.button.for" in everything
