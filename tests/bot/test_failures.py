"""Clear failures instead of tracebacks: one line naming the setting, and the right exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import App
from bot.cli import main
from bot.run import run
from bot.settings import Settings, load_settings
from bot.slack.run import MAX_BACKOFF_SECONDS, connect_checked
from domain.core.config import CommunityConfig
from storage.engine import DatabaseUrlError, normalize_url
from tests.bot.slack.conftest import make_adapter
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_api import FakeSlackApi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment in an empty folder (so nothing left behind is easy to see)."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "SLACK_", "GUILDHALL_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GUILDHALL_CONFIG", str(ROOT / "config.toml"))
    return monkeypatch


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("", "DATABASE_URL is empty"),
        ("garbage", "DATABASE_URL is not a database URL"),
        ("mysql://root@127.0.0.1/guildhall", "names 'mysql', which Guildhall does not support"),
        ("postgresql+psycopg2://u@127.0.0.1/x", "Guildhall ships postgresql+asyncpg"),
        ("sqlite:///no/such/folder/g.db", "DATABASE_URL: the folder"),
        ("postgresql://postgres@127.0.0.1:1/guildhall", "DATABASE_URL: cannot connect to"),
    ],
)
def test_bad_database_url_is_one_line_exit_2_and_leaves_no_file(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, says: str
) -> None:
    env.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert list(tmp_path.iterdir()) == []


def test_sync_driver_urls_are_rewritten_to_the_shipped_async_drivers(tmp_path: Path) -> None:
    assert normalize_url(f"sqlite:///{tmp_path}/g.db") == f"sqlite+aiosqlite:///{tmp_path}/g.db"
    assert normalize_url("postgresql://u:pw@h:5432/g") == "postgresql+asyncpg://u:pw@h:5432/g"
    with pytest.raises(DatabaseUrlError, match="SQLite file"):
        normalize_url("sqlite://")


def test_db_check_on_a_missing_or_unmigrated_database_says_how_to_migrate(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'g.db'}")
    assert main(["db", "check"]) == 2
    assert "there is no database at" in capsys.readouterr().err
    assert not (tmp_path / "g.db").exists()  # checking created nothing
    (tmp_path / "g.db").touch()
    assert main(["db", "check"]) == 2
    assert "never migrated" in (err := capsys.readouterr().err) and "guildhall db upgrade" in err
    assert main(["db", "upgrade"]) == 0 and main(["db", "check"]) == 0


def test_missing_config_file_named_by_guildhall_config_is_an_error(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("GUILDHALL_CONFIG", str(tmp_path / "nope.toml"))
    assert main(["db", "upgrade"]) == 2
    assert "GUILDHALL_CONFIG" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def test_empty_tokens_count_as_unset(env: pytest.MonkeyPatch) -> None:
    env.setenv("DISCORD_TOKEN", "")
    env.setenv("SLACK_BOT_TOKEN", "")
    settings = load_settings()
    assert settings.discord_token is None and not settings.has_platform


def _discord(database_url: str, api: str) -> Settings:
    return Settings(
        _env_file=None,
        DATABASE_URL=database_url,
        DISCORD_TOKEN="bogus",
        DISCORD_API_BASE_URL=api,
        GUILDHALL_HTTP_HOST="127.0.0.1",
        GUILDHALL_HTTP_PORT=0,
    )


async def test_discord_refusing_the_token_is_one_line_and_exit_1(
    app: App, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeDiscord()
    fake.fail("GET", r"/users/@me", 401, {"message": "401: Unauthorized", "code": 0})
    await fake.start()
    try:
        code = await run(_discord(database_url, fake.api_base), CommunityConfig())
    finally:
        await fake.stop()
    assert code == 1
    assert "Discord refused the token (DISCORD_TOKEN)" in caplog.text
    assert "Traceback" not in caplog.text


async def test_discord_unreachable_is_one_line_and_exit_1(
    app: App, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    code = await run(_discord(database_url, "http://127.0.0.1:1/api/v10"), CommunityConfig())
    assert code == 1 and "cannot reach Discord at http://127.0.0.1:1/api/v10" in caplog.text


async def test_slack_invalid_auth_is_final(app: App, caplog: pytest.LogCaptureFixture) -> None:
    api = await FakeSlackApi().start()
    api.fail("auth.test", error="invalid_auth")
    try:
        adapter = make_adapter(app, api)
        with pytest.raises(Exception, match="SLACK_BOT_TOKEN refused"):
            await connect_checked(adapter)
    finally:
        await api.close()
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in caplog.text


async def test_slack_outage_is_retried_with_capped_backoff_and_a_line_per_attempt(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    api = await FakeSlackApi().start()
    api.fail("apps.connections.open", error="internal_error", times=2)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 9:  # Slack is back (the fake answers again)
            adapter.client.base_url = api.api_url

    try:
        adapter = make_adapter(app, api, app_token="xapp-1", signing_secret=None)
        adapter.client.base_url = "http://127.0.0.1:1/api/"  # no network at first
        await connect_checked(adapter, sleep)
    finally:
        await api.close()
    assert waits == [1, 2, 4, 8, 16, 32] + [MAX_BACKOFF_SECONDS] * 5
    assert caplog.text.count("cannot reach Slack at http://127.0.0.1:1/api/") == 9
    assert caplog.text.count("Slack answered internal_error") == 2


def test_console_with_no_input_exits_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}",
        "GUILDHALL_CONFIG": str(ROOT / "config.toml"),
        "GUILDHALL_CLOCK": "2026-11-16T12:00:00+00:00",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--no-demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["slack", "manifest", "--prefix", "Bad Prefix!"], "lowercase letters"),
        (["slack", "manifest", "--http", "--url", "http://insecure.example"], "not an https URL"),
        (["discord", "invite-url", "--application-id", "12ab"], "not a Discord id"),
    ],
)
def test_cli_helpers_refuse_bad_values(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2 and says in capsys.readouterr().err


def test_cli_helpers_accept_good_values(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["discord", "invite-url", "--application-id", "1100000000000000001"]) == 0
    assert "client_id=1100000000000000001" in capsys.readouterr().out
    assert main(["slack", "manifest", "--prefix", "gh-", "--http", "--url", "https://b.org"]) == 0
    assert "/gh-checkin" in capsys.readouterr().out
