"""Slack's Web API client as this bot uses it: the API URL, retries, one shared HTTP session.

- The Web client retries 429 (honouring Retry-After) and 5xx answers with backoff
  (slack-sdk's AsyncRateLimitErrorRetryHandler / AsyncServerErrorRetryHandler), plus
  connection errors; the response_url posts (handlers.dispatch) retry the same way.
- The Web client and every response_url post share one aiohttp session (and so keep
  connections alive) once `open_http_session(bolt)` ran inside the serving loop.
  `close_http_session(bolt)` closes it on shutdown.
"""
from __future__ import annotations

from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_API_URL = "https://slack.com/api/"


def retry_handlers(max_retries: int = 2) -> list[Any]:
    """Stateless (the state lives in each request's RetryState), so one list can be shared."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=max_retries),
        AsyncRateLimitErrorRetryHandler(max_retry_count=max_retries),
        AsyncServerErrorRetryHandler(max_retry_count=max_retries),
    ]


def api_base(api_url: str = "") -> str:
    base = api_url or DEFAULT_API_URL
    if not base.endswith("/"):
        base += "/"  # without it slack_sdk calls /auth.test instead of /api/auth.test
    return base


def web_client(token: str, api_url: str = "") -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=api_base(api_url), retry_handlers=retry_handlers())


async def open_http_session(bolt: AsyncApp) -> None:
    """Give the Web client (and so every per-request client Bolt derives from it, and our
    response_url posts) one shared aiohttp session. Call inside the serving event loop."""
    current = bolt.client.session
    if current is None or current.closed:
        bolt.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))


async def close_http_session(bolt: AsyncApp) -> None:
    session = bolt.client.session
    if session is not None and not session.closed:
        await session.close()
    bolt.client.session = None
