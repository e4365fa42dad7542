"""Slack as one service of `guildhall run`: Socket Mode with an app token, else HTTP mode."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.settings import Settings
from bot.slack.adapter import SlackAdapter, SlackOptions
from bot.web import WebServer

if TYPE_CHECKING:
    from bot.app import App, Service

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


def service(app: App, settings: Settings, web: WebServer) -> Service | None:
    """The Slack service when `SLACK_BOT_TOKEN` is set: Socket Mode, or routes on `web`."""
    from bot.app import Service

    if settings.slack_bot_token is None:
        return None
    options = options_from(settings, app.config.community.name)
    adapter = SlackAdapter(app.runner, options)
    if options.socket_mode:
        log.info("slack: starting in Socket Mode")
        return Service("slack", adapter.deliverer, adapter.run_socket_mode, adapter.stop)
    log.info("slack: serving HTTP mode at /slack/events")
    web.add(adapter.routes())
    return Service("slack", adapter.deliverer, None, adapter.stop)
