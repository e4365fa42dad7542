"""`guildhall slack …`: Slack helpers on the command line (see PLUGINS in bot/cli.py)."""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from pathlib import Path
from typing import Any

from bot.settings import Settings
from domain.core.config import CommunityConfig


def add_commands(subparsers: Any) -> None:
    """Register `guildhall slack manifest` on the command line."""
    slack = subparsers.add_parser("slack", help="Slack app helpers")
    sub = slack.add_subparsers(dest="slack_command", required=True)
    manifest = sub.add_parser(
        "manifest", help="print the Slack app manifest generated from the commands"
    )
    mode = manifest.add_mutually_exclusive_group()
    mode.add_argument(
        "--socket", dest="socket", action="store_true", default=None, help="Socket Mode"
    )
    mode.add_argument(
        "--http", dest="socket", action="store_false", help="HTTP mode (request URLs)"
    )
    manifest.add_argument(
        "--url", type=https_url, help="public base URL in HTTP mode (default SLACK_PUBLIC_URL)"
    )
    manifest.add_argument(
        "--prefix",
        type=command_prefix,
        help="slash command prefix (default SLACK_COMMAND_PREFIX)",
    )
    manifest.add_argument("--name", help="app name (default SLACK_APP_NAME)")
    manifest.add_argument("--output", "-o", help="write to FILE instead of printing")
    manifest.set_defaults(handler=manifest_command)


def command_prefix(value: str) -> str:
    """A Slack slash-command prefix: lowercase letters, digits, `-` and `_`, short."""
    if not re.fullmatch(r"[a-z0-9_-]{0,20}", value):
        raise argparse.ArgumentTypeError(
            f"{value!r}: use up to 20 lowercase letters, digits, '-' or '_' (e.g. gh-)"
        )
    return value


def https_url(value: str) -> str:
    """A public https:// base URL (Slack only calls https request URLs)."""
    parts = urllib.parse.urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an https URL like https://bot.example.org"
        )
    return value.rstrip("/")


def manifest_command(args: argparse.Namespace, settings: Settings, config: CommunityConfig) -> int:
    """Print (or write) the manifest; Socket Mode unless HTTP is asked for or configured."""
    from bot.slack.manifest import manifest_json

    socket = args.socket
    if socket is None:
        socket = settings.slack_app_token is not None or settings.slack_signing_secret is None
    text = manifest_json(
        registry_for(config, settings.database_url),
        name=args.name or settings.slack_app_name,
        prefix=settings.slack_command_prefix if args.prefix is None else args.prefix,
        socket_mode=socket,
        public_url=args.url or settings.slack_public_url,
    )
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def registry_for(config: CommunityConfig, database_url: str) -> Any:
    """Every feature's commands, set up without touching a database."""
    from bot.app import commands_only

    return commands_only(config, database_url)
