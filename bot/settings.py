"""All configuration, from environment variables, validated once at start-up."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from bot.store.deadlines import DEADLINES, Deadlines


class SettingsError(ValueError):
    """A setting is present but wrong. The message names the variable, never its value."""


def _repo_knowledge() -> Path:
    here = Path(__file__).resolve().parent.parent / "knowledge"
    return here if here.is_dir() else Path("/app/knowledge")


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = field(default_factory=_repo_knowledge)
    store_url: str = ""  # empty: sqlite file under data_dir
    data_dir: Path = Path("data")
    session_ttl: float = 86400.0
    store_deadlines: Deadlines = DEADLINES  # ADVISOR_STORE_TIMEOUT sets the step's
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int = 8080  # health, metrics and (in HTTP mode) Slack events
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_mode: str = "socket"  # "socket" or "http"
    slack_api_url: str = ""
    discord_token: str = field(default="", repr=False)
    discord_api_url: str = ""

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def discord_configured(self) -> bool:
        return bool(self.discord_token)

    @property
    def adapters(self) -> tuple[str, ...]:
        """The configured adapters, in start order."""
        return tuple(name for name, on in (("slack", self.slack_configured), ("discord", self.discord_configured))
                     if on)

    def secret_values(self) -> tuple[str, ...]:
        """Every configured secret (tokens, signing secret, a store password), for log redaction.
        Never print these; `serve` masks them in every log record."""
        values = [self.slack_bot_token, self.slack_app_token, self.slack_signing_secret, self.discord_token]
        if self.store_url:
            try:
                values.append(urlsplit(self.store_url).password or "")
            except ValueError:
                pass
        return tuple(v for v in values if v)

    @property
    def store(self) -> str:
        return self.store_url or f"sqlite:///{(self.data_dir / 'sessions.db').resolve()}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(name, default).strip()

        s = cls(
            knowledge_dir=Path(get("ADVISOR_KNOWLEDGE")) if get("ADVISOR_KNOWLEDGE") else _repo_knowledge(),
            store_url=get("ADVISOR_STORE"),
            data_dir=Path(get("ADVISOR_DATA_DIR", "data")),
            session_ttl=_number(get("ADVISOR_SESSION_TTL", "86400"), "ADVISOR_SESSION_TTL"),
            store_deadlines=replace(DEADLINES, step=_number(get("ADVISOR_STORE_TIMEOUT", str(DEADLINES.step)),
                                                             "ADVISOR_STORE_TIMEOUT")),
            log_level=get("ADVISOR_LOG_LEVEL", "INFO").upper(),
            http_host=get("ADVISOR_HTTP_HOST", "127.0.0.1"),
            http_port=int(_number(get("ADVISOR_HTTP_PORT", "8080"), "ADVISOR_HTTP_PORT")),
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            slack_mode=get("SLACK_MODE", "").lower(),
            slack_api_url=get("SLACK_API_URL"),
            discord_token=get("DISCORD_TOKEN"),
            discord_api_url=get("DISCORD_API_URL"),
        )
        return s.validated()

    def validated(self) -> Settings:
        if self.session_ttl <= 0:
            raise SettingsError("ADVISOR_SESSION_TTL must be a positive number of seconds")
        if not 0 < self.store_deadlines.step <= 600:
            raise SettingsError("ADVISOR_STORE_TIMEOUT must be a number of seconds above 0 and at most 600")
        if not 0 < self.http_port < 65536:
            raise SettingsError("ADVISOR_HTTP_PORT must be between 1 and 65535")
        if self.log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise SettingsError("ADVISOR_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        mode = self.slack_mode or ("socket" if self.slack_app_token else "http")
        if mode not in {"socket", "http"}:
            raise SettingsError("SLACK_MODE must be 'socket' or 'http'")
        if self.slack_bot_token and not self.slack_bot_token.startswith("xoxb-"):
            raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
            raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if self.slack_bot_token and mode == "socket" and not self.slack_app_token:
            raise SettingsError("SLACK_MODE=socket needs SLACK_APP_TOKEN (an xapp- app-level token)")
        if self.slack_bot_token and mode == "http" and not self.slack_signing_secret:
            raise SettingsError("Slack HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN for Socket Mode)")
        for name, url in (("SLACK_API_URL", self.slack_api_url), ("DISCORD_API_URL", self.discord_api_url)):
            if url and not url.startswith(("http://", "https://")):
                raise SettingsError(f"{name} must be an http(s) URL")
        return replace(self, slack_mode=mode)


def _number(raw: str, name: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number") from None

