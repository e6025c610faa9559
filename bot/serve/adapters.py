"""The adapters serve runs: which are configured, how each one starts, and when it is ready.

An adapter whose token is missing is skipped with a log line. Slack's tokens are checked
before anything connects (bot.adapters.slack.preflight), so a wrong one stops the start.
Platform libraries are imported only for the adapters that are configured.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TYPE_CHECKING

from bot.settings import Settings
from bot.startup import StartupError

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.bootstrap import App

log = logging.getLogger("bot.serve")

READY_LOG_AFTER = 30.0  # warn if an adapter is still not ready after this long


@dataclass
class Adapter:
    name: str
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    run: Callable[[], Awaitable[None]] | None = None  # None: nothing to run (Slack HTTP runs its team sweep)
    task: asyncio.Task[None] | None = None
    # shutdown: stop taking new events first; returns the tasks of those already taken
    stop_intake: Callable[[], Awaitable[set[asyncio.Task[Any]]]] | None = None


@dataclass
class Plan:
    adapters: list[Adapter]
    bolt: AsyncApp | None = None  # the Slack Bolt app; in HTTP mode the ops server mounts its route


async def plan_adapters(settings: Settings, app: App) -> Plan:
    plan = Plan([])
    if settings.slack_configured:
        await check_slack_tokens(settings)
        adapter, plan.bolt = slack_adapter(settings, app)
        plan.adapters.append(adapter)
    else:
        extra = " (SLACK_APP_TOKEN/SLACK_SIGNING_SECRET are set but unused without it)" \
            if settings.slack_app_token or settings.slack_signing_secret else ""
        log.info("Slack: skipped, SLACK_BOT_TOKEN is not set%s", extra)
    if settings.discord_configured:
        plan.adapters.append(discord_adapter(settings, app))
    else:
        log.info("Discord: skipped, DISCORD_TOKEN is not set")
    if not plan.adapters:
        log.warning("no adapter is configured (set SLACK_BOT_TOKEN and/or DISCORD_TOKEN); "
                    "serving health and metrics only")
    return plan


async def check_slack_tokens(settings: Settings) -> None:
    from bot.adapters.slack.preflight import PreflightError, preflight

    try:
        await preflight(settings)
    except PreflightError as exc:
        raise StartupError(str(exc)) from None


def slack_adapter(settings: Settings, app: App) -> tuple[Adapter, AsyncApp]:
    from bot.adapters.slack.app import build_bolt_app, team_sweep

    adapter = Adapter("slack")
    http = settings.slack_mode == "http"
    bolt = build_bolt_app(app, token=settings.slack_bot_token,
                          signing_secret=settings.slack_signing_secret if http else "",
                          api_url=settings.slack_api_url)
    if http:
        adapter.ready.set()  # the route is mounted on our own server, and the token was accepted
        adapter.run = lambda: team_sweep(bolt)  # the team deadlines; requests come through the route
        return adapter, bolt
    from bot.adapters.slack.run import slack_startup_error
    from bot.adapters.slack.socket import Intake, run_socket_mode

    intake = Intake()

    async def socket_mode() -> None:
        deadlines = asyncio.ensure_future(team_sweep(bolt))
        try:
            await run_socket_mode(bolt, settings.slack_app_token, ready=adapter.ready, intake=intake)
        finally:
            deadlines.cancel()

    adapter.run = _mapped(socket_mode, adapter.ready, slack_startup_error)
    adapter.stop_intake = intake.stop
    return adapter, bolt


def discord_adapter(settings: Settings, app: App) -> Adapter:
    from bot.adapters.discord.client import build_client
    from bot.adapters.discord.run import discord_startup_error, run_discord

    adapter = Adapter("discord")
    client = build_client(app)
    adapter.run = _mapped(lambda: run_discord(app, settings.discord_token, adapter.ready, client),
                          adapter.ready, discord_startup_error)
    adapter.stop_intake = client.stop_intake
    return adapter


def _mapped(run: Callable[[], Awaitable[None]], ready: asyncio.Event,
            mapping: Callable[[Exception, bool], Exception]) -> Callable[[], Awaitable[None]]:
    """`run`, with its failure turned into a StartupError (before ready) or a RuntimeError."""
    async def guarded() -> None:
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise mapping(exc, ready.is_set()) from None

    return guarded


async def supervise(adapter: Adapter) -> None:
    assert adapter.run is not None
    log.info("%s: starting", adapter.name.capitalize())
    await adapter.run()


async def watch_readiness(adapters: list[Adapter]) -> set[asyncio.Task[Any]]:
    """Log each adapter as it becomes ready. Returns the tasks alive once all are: connection
    plumbing started by then is not work that a shutdown has to wait for."""
    waiting = {a.name: a.ready for a in adapters}
    began = time.monotonic()
    warned = False
    while waiting:
        for name, event in list(waiting.items()):
            if event.is_set():
                log.info("%s: ready", name.capitalize())
                del waiting[name]
        if waiting and not warned and time.monotonic() - began > READY_LOG_AFTER:
            log.warning("still waiting for %s to become ready (/readyz answers 503 until then)",
                        ", ".join(sorted(waiting)))
            warned = True
        await asyncio.sleep(0.1)
    baseline = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
    if adapters:
        log.info("ready: every configured adapter is connected")
    return baseline


async def open_slack_session(bolt: AsyncApp | None) -> None:
    if bolt is not None:
        from bot.adapters.slack.web import open_http_session

        await open_http_session(bolt)


async def close_slack_session(bolt: AsyncApp | None) -> None:
    """The Slack adapter shares one aiohttp session between its Web API and response_url calls."""
    if bolt is not None:
        from bot.adapters.slack.web import close_http_session

        with contextlib.suppress(Exception):
            await close_http_session(bolt)
