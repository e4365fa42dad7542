"""Start Slack from the settings: Socket Mode with an app token, else HTTP mode."""

from __future__ import annotations

import asyncio
import logging

from bot.app import App
from bot.delivery import Deliverer
from bot.settings import Settings
from bot.slack.adapter import SlackAdapter, SlackOptions
from bot.web import WebServer
from domain.identity import Platform

log = logging.getLogger(__name__)


class SlackSettingsError(Exception):
    """The Slack settings cannot work together (the message says what to set)."""


def options_from(settings: Settings, community_name: str | None = None) -> SlackOptions:
    """SlackOptions from the environment; secrets are unwrapped only here."""
    if settings.slack_bot_token is None:
        raise SlackSettingsError("SLACK_BOT_TOKEN is not set")
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    if not app_token and not secret:
        raise SlackSettingsError(
            "Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)"
        )
    moderators = frozenset(u.strip() for u in settings.slack_moderators.split(",") if u.strip())
    return SlackOptions(
        bot_token=settings.slack_bot_token.get_secret_value(),
        signing_secret=secret,
        app_token=app_token,
        api_url=settings.slack_api_url,
        command_prefix=settings.slack_command_prefix,
        moderators=moderators,
        community_name=community_name,
    )


def start_slack(
    app: App,
    settings: Settings,
    web: WebServer,
    deliverers: dict[Platform, Deliverer] | None = None,
) -> list[asyncio.Task[None]]:
    """Mount the HTTP endpoint on `web`, or start Socket Mode; return tasks to await.

    `deliverers` (the outbox's, when the scheduler runs) receives the Slack deliverer.
    """
    options = options_from(settings, app.config.community.name)
    adapter = SlackAdapter(app.runner, options)
    if deliverers is not None:
        deliverers[Platform.SLACK] = adapter.deliverer
    if options.socket_mode:
        log.info("slack: starting in Socket Mode")
        return [asyncio.create_task(adapter.run_socket_mode())]
    log.info("slack: serving HTTP mode at /slack/events")
    web.add(adapter.routes())
    return []
