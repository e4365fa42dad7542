"""Deployment settings from the environment, community rules from config.toml.

Secrets (tokens, keys) come only from the environment or `.env`; the
non-secret defaults a community tunes live in `config.toml`. Both are read
once at start into objects passed down; nothing imports a global.
"""

from __future__ import annotations

import importlib
import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.core.config import CommunityConfig


class ConfigError(Exception):
    """config.toml (or the environment) is invalid; the message names the key."""


class Settings(BaseSettings):
    """Everything that differs between deployments."""

    # An empty variable (`DISCORD_TOKEN=`) counts as unset, as a newcomer expects.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    database_url: str = Field("sqlite+aiosqlite:///guildhall.db", alias="DATABASE_URL")
    config_path: Path = Field(Path("config.toml"), alias="GUILDHALL_CONFIG")
    log_level: str = Field("INFO", alias="GUILDHALL_LOG_LEVEL")
    # "json": one JSON object per line (for log collectors), with an error's reference code.
    log_format: Literal["text", "json"] = Field("text", alias="GUILDHALL_LOG_FORMAT")
    db_pool_size: int = Field(10, alias="GUILDHALL_DB_POOL_SIZE", ge=1, le=200)
    # PostgreSQL: apply the activity log in a process of its own (`guildhall project`,
    # started and supervised by `guildhall run`), on the machine's next core.
    projector_process: bool = Field(False, alias="GUILDHALL_PROJECTOR_PROCESS")
    # Start the bot's clock at this aware ISO time (demos, tests, reproducing a report);
    # it then runs at the normal pace. Unset: the wall clock.
    clock_start: AwareDatetime | None = Field(None, alias="GUILDHALL_CLOCK")

    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    # Slack (bot/slack): Socket Mode when an app-level token is set, else HTTP mode.
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_command_prefix: str = Field("", alias="SLACK_COMMAND_PREFIX", pattern=r"^[a-z0-9_-]*$")
    slack_moderators: str = Field("", alias="SLACK_MODERATORS")  # comma-separated user ids
    slack_app_name: str = Field("Guildhall", alias="SLACK_APP_NAME", min_length=1, max_length=35)
    slack_public_url: str = Field("https://example.com", alias="SLACK_PUBLIC_URL")
    # The small HTTP surface (bot/web.py): Slack events in HTTP mode, /healthz.
    http_host: str = Field("0.0.0.0", alias="GUILDHALL_HTTP_HOST")
    http_port: int = Field(3000, alias="GUILDHALL_HTTP_PORT", ge=0, le=65535)
    # SIGTERM/SIGINT: how long finishing acknowledged work and delivering may take.
    shutdown_seconds: float = Field(20.0, alias="GUILDHALL_SHUTDOWN_SECONDS", gt=0, le=600)
    public_url: str | None = Field(None, alias="GUILDHALL_PUBLIC_URL")

    @property
    def public_base_url(self) -> str:
        """Where members' browsers reach the HTTP surface (dashboard links, feeds)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.http_host in ("0.0.0.0", "::", "") else self.http_host
        return f"http://{host}:{self.http_port}"

    # The AI (bot/ai): any OpenAI-compatible server; an empty key turns the AI features off.
    openai_api_key: SecretStr = Field(SecretStr(""), alias="OPENAI_API_KEY")
    openai_base_url: str = Field("https://api.openai.com/v1", alias="OPENAI_BASE_URL")
    ai_model: str = Field("gpt-4o-mini", alias="AI_MODEL", min_length=1)
    ai_temperature: float = Field(0.3, alias="AI_TEMPERATURE", ge=0, le=2)
    ai_timeout: float = Field(20.0, alias="AI_TIMEOUT", gt=0, le=600)  # one request, seconds
    ai_max_retries: int = Field(2, alias="AI_MAX_RETRIES", ge=0, le=10)  # backoff on 429/5xx
    ai_deadline: float = Field(45.0, alias="AI_DEADLINE", gt=0, le=900)  # one answer, all retries

    @model_validator(mode="after")
    def _slack_needs_a_mode(self) -> Settings:
        if self.slack_bot_token and not (self.slack_app_token or self.slack_signing_secret):
            raise ValueError(
                "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET"
                " (HTTP mode)"
            )
        return self

    # Discord (see README "Run on Discord"); the base URLs point discord.py elsewhere.
    # Payments: no key means the commands say "payments are not set up".
    stripe_api_key: SecretStr | None = Field(None, alias="STRIPE_API_KEY")
    stripe_webhook_secret: SecretStr | None = Field(None, alias="STRIPE_WEBHOOK_SECRET")
    stripe_api_base: str = Field("https://api.stripe.com", alias="STRIPE_API_BASE")

    discord_api_base_url: str = Field("https://discord.com/api/v10", alias="DISCORD_API_BASE_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")
    discord_shard_count: int | None = Field(None, alias="DISCORD_SHARD_COUNT", ge=1)
    discord_shard_ids: str | None = Field(None, alias="DISCORD_SHARD_IDS")  # "0,1"
    discord_moderator_roles: str = Field("", alias="DISCORD_MODERATOR_ROLES")  # names or ids
    discord_members_intent: bool = Field(False, alias="DISCORD_MEMBERS_INTENT")
    discord_sync_on_start: bool = Field(True, alias="DISCORD_SYNC_ON_START")
    discord_dev_guild_id: int | None = Field(None, alias="DISCORD_DEV_GUILD_ID")
    discord_max_ratelimit_wait: float = Field(30.0, alias="DISCORD_MAX_RATELIMIT_WAIT", ge=30)

    @property
    def has_platform(self) -> bool:
        return self.discord_token is not None or self.slack_bot_token is not None


def load_settings() -> Settings:
    """Read the environment (and `.env`); empty variables count as unset.

    Raises:
        ConfigError: a value is invalid, `DATABASE_URL` is set but empty, or
            `GUILDHALL_CONFIG` names a file that does not exist.
    """
    if os.environ.get("DATABASE_URL", None) == "":
        raise ConfigError(
            "DATABASE_URL is empty; unset it for the default SQLite file, or use e.g."
            " sqlite+aiosqlite:///guildhall.db or postgresql+asyncpg://user@host/guildhall"
        )
    try:
        settings = Settings()
    except ValidationError as err:
        raise ConfigError(_describe(err, "environment")) from None
    if "config_path" in settings.model_fields_set and not settings.config_path.is_file():
        raise ConfigError(f"GUILDHALL_CONFIG: {settings.config_path} does not exist")
    return settings


def load_config(path: Path) -> CommunityConfig:
    """Read and validate config.toml; a missing file means all defaults.

    Raises:
        ConfigError: the file is not TOML, or a key is unknown or out of range.
    """
    if not path.exists():
        return CommunityConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    try:
        config = CommunityConfig.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_describe(err, str(path))) from None
    return _with_messages(config, path)


def _with_messages(config: CommunityConfig, path: Path) -> CommunityConfig:
    """Resolve `[community] messages` next to config.toml and check it at start.

    Raises:
        ConfigError: the override file cannot be read or names unknown codes.
    """
    if not config.community.messages:
        return config
    import cogs
    from cogs.kit import messages

    words = path.parent / config.community.messages
    for name in cogs.FEATURES:  # every feature registers its words on import
        importlib.import_module(f"cogs.{name}")
    try:
        messages.read_overrides(words)
    except messages.OverrideError as err:
        raise ConfigError(str(err)) from None
    community = config.community.model_copy(update={"messages": str(words)})
    return config.model_copy(update={"community": community})


def _describe(err: ValidationError, where: str) -> str:
    lines = [f"{where} is invalid:"]
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check its spelling)"
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)
