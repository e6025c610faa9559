"""`python -m bot slack [--http] [--port N] [--host H]`.

- `main(settings, args) -> int`: the CLI entry (exit code; 2 for configuration errors and
  for a token Slack rejects, see `preflight`). SIGTERM/SIGINT stop it like `serve`: in Socket
  Mode no new envelopes first, then what was received is answered, then it closes.
- `async run_slack(app, *, http, host, port, ready=None)`: builds the Bolt app from
  `app.settings` and runs Socket Mode (default) or the HTTP server on host:port until
  cancelled; `ready` is set once connected / listening. `inline_budget`: see
  `app.build_bolt_app` (0: commands always ack empty and answer on response_url). Beside it,
  `app.team_sweep` closes team decisions past their deadline every `sweep` seconds.

For embedding in another server see `app.build_bolt_app`, `http.events_handler`,
`socket.run_socket_mode` and `preflight.preflight` (check the tokens before connecting).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from aiohttp import web
from slack_sdk.errors import SlackApiError

from bot.bootstrap import App
from bot.settings import Settings, SettingsError
from bot.startup import StartupError, adapter_error, build_app, fail

from .app import build_bolt_app, team_sweep
from .handlers.dispatch import INLINE_BUDGET
from .handlers.team import SWEEP
from .http import make_web_app
from .preflight import TOKEN_ERRORS, PreflightError, error_code, preflight
from .socket import Intake, run_socket_mode
from .web import close_http_session, open_http_session

log = logging.getLogger("bot.slack")


async def run_slack(app: App, *, http: bool, host: str = "127.0.0.1", port: int = 8080,
                    ready: asyncio.Event | None = None, inline_budget: float = INLINE_BUDGET,
                    intake: Intake | None = None, sweep: float = SWEEP) -> None:
    s = app.settings
    if http:
        if not s.slack_signing_secret:
            raise ValueError("Slack HTTP mode needs SLACK_SIGNING_SECRET")
        bolt = build_bolt_app(app, token=s.slack_bot_token, signing_secret=s.slack_signing_secret,
                              api_url=s.slack_api_url, inline_budget=inline_budget)
        await open_http_session(bolt)
        runner = web.AppRunner(make_web_app(bolt, s.slack_signing_secret), access_log=None)
        await runner.setup()
        deadlines = asyncio.ensure_future(team_sweep(bolt, sweep))
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            log.info("Slack HTTP mode listening on http://%s:%s/slack/events", host, port)
            if ready is not None:
                ready.set()
            await asyncio.Event().wait()  # until cancelled
        finally:
            deadlines.cancel()
            await runner.cleanup()
            await close_http_session(bolt)
    else:
        if not s.slack_app_token:
            raise ValueError("Slack Socket Mode needs SLACK_APP_TOKEN")
        bolt = build_bolt_app(app, token=s.slack_bot_token, signing_secret="", api_url=s.slack_api_url,
                              inline_budget=inline_budget)
        await open_http_session(bolt)
        deadlines = asyncio.ensure_future(team_sweep(bolt, sweep))
        try:
            await run_socket_mode(bolt, s.slack_app_token, ready=ready, intake=intake)
        finally:
            deadlines.cancel()
            await close_http_session(bolt)


def main(settings: Settings, args: argparse.Namespace) -> int:
    http = bool(getattr(args, "http", False)) or settings.slack_mode == "http"
    if not settings.slack_bot_token:
        return fail(StartupError("configuration error: set SLACK_BOT_TOKEN (xoxb-...) to run the Slack adapter"))
    if http and not settings.slack_signing_secret:
        return fail(StartupError("configuration error: Slack HTTP mode needs SLACK_SIGNING_SECRET"))
    if not http and not settings.slack_app_token:
        return fail(StartupError("configuration error: Socket Mode needs SLACK_APP_TOKEN (xapp-...); "
                                 "or use --http with SLACK_SIGNING_SECRET"))
    try:
        app = build_app(settings)
    except StartupError as exc:
        return fail(exc)
    host = getattr(args, "host", None) or settings.http_host
    port = getattr(args, "port", None) or settings.http_port
    try:
        asyncio.run(_checked(app, http=http, host=host, port=port))
    except PreflightError as exc:
        return fail(StartupError(str(exc)))
    except KeyboardInterrupt:
        return 0
    finally:
        app.close()
    return 0


async def _checked(app: App, *, http: bool, host: str, port: int) -> None:
    # Before connecting: Socket Mode would retry a rejected app token forever instead of failing.
    await preflight(app.settings, socket_mode=not http)
    await _until_signal(app, http=http, host=host, port=port)


async def _until_signal(app: App, *, http: bool, host: str, port: int) -> None:
    """Run until SIGTERM/SIGINT, then stop like serve does: in Socket Mode no new envelopes
    first; then answer everything already received (acks, then the work after them), then close."""
    from bot.ops.shutdown import HTTP_DRAIN, finish_in_flight, work_tasks

    intake, ready = Intake(), asyncio.Event()
    task = asyncio.ensure_future(run_slack(app, http=http, host=host, port=port, ready=ready, intake=intake))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    stopping = asyncio.ensure_future(stop.wait())
    connected = asyncio.ensure_future(ready.wait())
    await asyncio.wait({task, connected}, return_when=asyncio.FIRST_COMPLETED)
    connected.cancel()
    baseline = set(asyncio.all_tasks())  # connection plumbing, not work
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not task.done():
        log.info("Slack: stopping (no new events; answering those received)")
        await finish_in_flight(await intake.stop(), HTTP_DRAIN)  # each envelope read, up to its ack
        await finish_in_flight(set(work_tasks(baseline)), HTTP_DRAIN)  # the work after the acks
        task.cancel()
    stopping.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.info("Slack: stopped")


def slack_startup_error(exc: Exception, was_ready: bool) -> Exception:
    """How the Slack adapter's exception reads: a rejected token names its variable (exit 2)."""
    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, SlackApiError):
        error = error_code(exc)
        if error in TOKEN_ERRORS:
            variable = "SLACK_APP_TOKEN" if "apps.connections" in str(exc) else "SLACK_BOT_TOKEN"
            return StartupError(f"{variable} was rejected by Slack ({error})")
    return adapter_error("Slack", exc, was_ready)
