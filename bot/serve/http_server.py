"""The one HTTP server of `serve`: /healthz, /readyz, /metrics, and in Slack HTTP mode
POST /slack/events, so an operator publishes a single port."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.ops.health import Health
from bot.ops.shutdown import HTTP_DRAIN
from bot.settings import Settings
from bot.startup import StartupError

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

log = logging.getLogger("bot.serve")


async def start_http(settings: Settings, health: Health, bolt: AsyncApp | None) -> web.AppRunner:
    """Listening once this returns; `runner.cleanup()` stops it, letting running requests
    finish for up to HTTP_DRAIN seconds."""
    web_app = web.Application()
    web_app.add_routes(health.routes())
    paths = ["/healthz", "/readyz", "/metrics"]
    if bolt is not None and settings.slack_configured and settings.slack_mode == "http":
        from bot.adapters.slack.http import events_handler

        web_app.router.add_post("/slack/events", events_handler(bolt, settings.slack_signing_secret))
        paths.append("/slack/events")
    # handle_signals=False: serve owns SIGTERM/SIGINT (bot.serve.signals), aiohttp must not exit on them.
    runner = web.AppRunner(web_app, handle_signals=False, access_log=None, shutdown_timeout=HTTP_DRAIN)
    await runner.setup()
    site = web.TCPSite(runner, settings.http_host, settings.http_port, shutdown_timeout=HTTP_DRAIN)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(f"cannot listen on {settings.http_host}:{settings.http_port} "
                           f"(ADVISOR_HTTP_HOST/ADVISOR_HTTP_PORT): {exc.strerror or exc}") from None
    log.info("listening on http://%s:%d (%s)", settings.http_host, settings.http_port, ", ".join(paths))
    return runner
