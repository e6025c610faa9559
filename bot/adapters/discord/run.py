"""Running the Discord adapter.

    python -m bot discord                 connect through the gateway with DISCORD_TOKEN
    python -m bot discord sync [--guild ID]  register the /framework commands (explicit, never on start)

For `serve` (which runs several adapters on one event loop):

    async def run_discord(app: App, token: str, ready: asyncio.Event | None = None) -> None

runs the bot until cancelled (then closes the connection cleanly and returns/raises
CancelledError); sets `ready` once the gateway session is ready. It does not close `app`.
Raises discord.LoginFailure for a rejected token. DISCORD_API_URL (settings.discord_api_url),
when set, is the REST base including the version, e.g. http://127.0.0.1:8765/api/v10; the
gateway URL then comes from that server's GET /gateway/bot.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

import discord
import yarl

from bot.bootstrap import App
from bot.settings import Settings, SettingsError
from bot.startup import StartupError, adapter_error, build_app, fail

from .client import AdvisorClient, build_client

log = logging.getLogger("bot.discord")


async def _follow_gateway(client: discord.Client) -> None:
    """With a custom API server, reconnects after an invalidated session must also go there,
    not to Discord's default gateway."""
    try:
        _, url, _ = await client.http.get_bot_gateway()
    except discord.DiscordException:
        return
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)


async def run_discord(app: App, token: str, ready: asyncio.Event | None = None,
                      client: AdvisorClient | None = None) -> None:
    """`client`: one built with build_client(app), to call `client.stop_intake()` on shutdown
    before cancelling this (serve does)."""
    client = client or build_client(app)
    client.ready_event = ready
    async with client:
        await client.login(token)
        if app.settings.discord_api_url:
            await _follow_gateway(client)
        await client.connect(reconnect=True)


async def sync_commands(app: App, token: str, guild: int | None = None) -> list[str]:
    """Register the command tree with Discord: in one guild (instant, for testing) or globally."""
    client = build_client(app)
    async with client:
        await client.login(token)
        if guild is not None:
            target = discord.Object(id=guild)
            client.tree.copy_global_to(guild=target)
            synced = await client.tree.sync(guild=target)
        else:
            synced = await client.tree.sync()
    return [c.name for c in synced]


async def _until_signal(app: App, token: str) -> None:
    """Run until SIGTERM/SIGINT, then stop like serve does: no new gateway events first, then
    answer every interaction already received, then close."""
    from bot.ops.shutdown import HTTP_DRAIN, finish_in_flight

    client = build_client(app)
    task = asyncio.ensure_future(run_discord(app, token, client=client))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not task.done():
        log.info("Discord: stopping (no new interactions; answering those received)")
        await finish_in_flight(await client.stop_intake(), HTTP_DRAIN)
        task.cancel()
    stopping.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.info("Discord: stopped")


def main(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.discord_token:
        return fail(StartupError("DISCORD_TOKEN is not set: create a bot token first (see docs/discord.md)"))

    try:
        app = build_app(settings)
    except StartupError as exc:
        return fail(exc)
    try:
        if getattr(args, "discord_command", None) == "sync":
            guild = getattr(args, "guild", None)
            names = asyncio.run(sync_commands(app, settings.discord_token, guild))
            where = f"guild {guild}" if guild is not None else "globally (may take up to an hour to appear)"
            print(f"registered {', '.join('/' + n for n in names) or 'no commands'} {where}")
            return 0
        asyncio.run(_until_signal(app, settings.discord_token))
        return 0
    except discord.LoginFailure as exc:
        return fail(discord_startup_error(exc, False))  # type: ignore[arg-type]
    except discord.HTTPException as exc:
        print(f"Discord API error: {exc.status} {exc.text[:200]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        app.close()


def discord_startup_error(exc: Exception, was_ready: bool) -> Exception:
    """How the Discord adapter's exception reads: a rejected token names its variable (exit 2)."""
    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, discord.LoginFailure):
        return StartupError("DISCORD_TOKEN was rejected by Discord (LoginFailure: improper token)")
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return StartupError("Discord refused a privileged intent the bot asked for; see docs/discord.md")
    return adapter_error("Discord", exc, was_ready)
