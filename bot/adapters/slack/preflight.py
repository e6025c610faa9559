"""Check the Slack tokens once before connecting: `await preflight(settings)`.

Used by `python -m bot serve` and `python -m bot slack`. Why: slack_sdk's Socket Mode
client retries a rejected app token forever, and Bolt only finds a wrong bot token on the
first request; asking Slack up front turns both into a clear start-up failure.

- auth.test with SLACK_BOT_TOKEN, always;
- apps.connections.open with SLACK_APP_TOKEN in Socket Mode (it only issues a one-time
  websocket URL, which is left unused).

A failure raises `PreflightError`, whose message names the variable, never its value.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

from .web import web_client

log = logging.getLogger("bot.slack")

# Slack API errors that mean "this token is wrong", as opposed to a network or Slack problem.
TOKEN_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                          "not_allowed_token_type", "invalid_token"})


class PreflightError(Exception):
    """A Slack token was rejected or could not be checked. The message is safe to log."""


async def preflight(settings: Settings, *, socket_mode: bool | None = None) -> None:
    """`socket_mode`: also check SLACK_APP_TOKEN; by default when SLACK_MODE is socket."""
    if socket_mode is None:
        socket_mode = settings.slack_mode == "socket"
    bot_client = web_client(settings.slack_bot_token, settings.slack_api_url)
    response = await _check("SLACK_BOT_TOKEN", "auth.test", bot_client, lambda client: client.auth_test())
    log.info("Slack: SLACK_BOT_TOKEN accepted (bot user %s in team %s), %s mode",
             response.get("user_id"), response.get("team_id"), "socket" if socket_mode else "http")
    if not socket_mode:
        return
    # apps.connections.open authenticates with the app token given to the call, not a client token.
    await _check("SLACK_APP_TOKEN", "apps.connections.open", web_client("", settings.slack_api_url),
                 lambda client: client.apps_connections_open(app_token=settings.slack_app_token),
                 rejected="; it must be an app-level token with the connections:write scope",
                 failed="; is Socket Mode enabled for the app?")
    log.info("Slack: SLACK_APP_TOKEN accepted for Socket Mode")


def error_code(exc: Exception) -> str:
    """Slack's error code from a SlackApiError ("invalid_auth"), or the exception's type."""
    response = getattr(exc, "response", None)
    try:
        return str(response.get("error") or "error")  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - not a Slack response after all
        return type(exc).__name__


async def _check(variable: str, method: str, client: AsyncWebClient,
                 call: Callable[[AsyncWebClient], Awaitable[Any]], rejected: str = "", failed: str = "") -> Any:
    try:
        return await call(client)
    except SlackApiError as exc:
        error = error_code(exc)
        if error in TOKEN_ERRORS or exc.response.status_code in (401, 403):
            raise PreflightError(f"{variable} was rejected by Slack ({error}){rejected}") from None
        raise PreflightError(f"Slack {method} failed for {variable} ({error}){failed}") from None
    except Exception as exc:  # noqa: BLE001 - network: say what we tried, not the token
        raise PreflightError(f"cannot reach the Slack API to check {variable} "
                             f"({type(exc).__name__}: {exc})") from None
    finally:
        # A throwaway client: its session must not outlive the check (aiohttp warns otherwise).
        if client.session is not None:
            with contextlib.suppress(Exception):
                await client.session.close()
