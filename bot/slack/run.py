"""Slack as one service of `guildhall run`: Socket Mode with an app token, else HTTP mode."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.errors import ServiceFailed
from bot.settings import Settings
from bot.slack.adapter import SlackAdapter, SlackOptions
from bot.web import WebServer

if TYPE_CHECKING:
    from bot.app import App, Service

log = logging.getLogger(__name__)
# Slack's answers that no retry can fix: the token itself is wrong.
FINAL_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "missing_scope",
    }
)
MAX_BACKOFF_SECONDS = 60.0


async def connect_checked(
    adapter: SlackAdapter, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Check the tokens with Slack before serving; retry an outage with capped backoff.

    A refused token is final (exit 1, one line naming the setting); no network
    or a Slack error is retried after 1, 2, 4 … 60 s with a log line each time.
    """
    delay, attempt = 1.0, 0
    options = adapter.options
    while True:
        attempt += 1
        setting = "SLACK_BOT_TOKEN"
        try:
            await adapter.client.auth_test()
            if options.socket_mode:
                setting = "SLACK_APP_TOKEN"
                await adapter.client.apps_connections_open(app_token=options.app_token or "")
            return
        except SlackApiError as err:
            code = str(err.response.get("error", "unknown_error"))
            if code in FINAL_ERRORS:
                log.error(
                    "Slack refused %s (%s): copy it again from the app's settings", setting, code
                )
                raise ServiceFailed(f"{setting} refused") from None
            problem = f"Slack answered {code}"
        except (aiohttp.ClientError, OSError, TimeoutError) as err:
            problem = (
                f"cannot reach Slack at {adapter.client.base_url}: {str(err) or type(err).__name__}"
            )
        log.warning("%s; retrying in %.0f s (attempt %d)", problem, delay, attempt)
        await sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF_SECONDS)


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

        async def socket_mode() -> None:
            await connect_checked(adapter)
            await adapter.run_socket_mode()

        return Service("slack", adapter.deliverer, socket_mode, adapter.stop)
    log.info("slack: serving HTTP mode at /slack/events")
    web.add(adapter.routes())
    return Service("slack", adapter.deliverer, lambda: connect_checked(adapter), adapter.stop)
