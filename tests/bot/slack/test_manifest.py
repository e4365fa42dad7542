"""The generated Slack manifest: complete, and the committed example kept current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.slack.cli import registry_for
from bot.slack.manifest import BOT_EVENTS, DM_EVENTS, build_manifest, manifest_json
from domain.core.config import CommunityConfig

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "slack-manifest.example.json"
REGENERATE = (
    "guildhall slack manifest --socket --prefix '' --name Guildhall"
    " -o docs/slack-manifest.example.json"
)


def _registry(tmp_path: Path):  # type: ignore[no-untyped-def]
    return registry_for(CommunityConfig(), f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")


def test_committed_example_manifest_is_up_to_date(tmp_path: Path) -> None:
    generated = manifest_json(_registry(tmp_path), name="Guildhall", prefix="", socket_mode=True)
    assert EXAMPLE.read_text(encoding="utf-8") == generated, (
        f"docs/slack-manifest.example.json is stale: run `{REGENERATE}`"
    )


def test_manifest_has_one_slash_command_per_group_with_usage_hints(tmp_path: Path) -> None:
    registry = _registry(tmp_path)
    manifest = build_manifest(registry, prefix="gh-", socket_mode=True)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {f"/gh-{group}" for group in registry.groups()}
    assert commands["/gh-points"]["usage_hint"].startswith("balance [member] | give <member>")
    for entry in commands.values():
        assert len(entry["command"]) <= 32 and 1 <= len(entry["description"]) <= 100
        assert entry["should_escape"] is True and "url" not in entry
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [*BOT_EVENTS, *DM_EVENTS]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_http_mode_manifest_points_every_url_at_slack_events(tmp_path: Path) -> None:
    manifest = build_manifest(
        _registry(tmp_path), socket_mode=False, public_url="https://bot.example.org/"
    )
    url = "https://bot.example.org/slack/events"
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == url
    assert settings["interactivity"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}


def test_guildhall_slack_manifest_prints_the_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.setenv("GUILDHALL_CONFIG", str(ROOT / "config.toml"))
    assert (
        main(["slack", "manifest", "--http", "--url", "https://x.example", "--prefix", "gh-"]) == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["features"]["slash_commands"][0]["command"].startswith("/gh-")
    assert printed["settings"]["interactivity"]["request_url"] == "https://x.example/slack/events"
