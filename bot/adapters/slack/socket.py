"""Socket Mode: no public URL; Slack pushes envelopes over a websocket opened with the
app-level token (`xapp-...`, scope connections:write).

Importable by `python -m bot serve`::

    from bot.adapters.slack.socket import run_socket_mode
    task = asyncio.create_task(run_socket_mode(bolt, settings.slack_app_token, ready=event))
    ...
    task.cancel()   # closes the connection

`run_socket_mode(bolt, app_token, *, ready=None)` connects (apps.connections.open goes
through `bolt.client`, so SLACK_API_URL applies), sets `ready` once connected, and runs
until cancelled. The handler must be created inside a running loop, which this does.
"""
from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

log = logging.getLogger("bot.slack")


async def run_socket_mode(bolt: AsyncApp, app_token: str, *, ready: asyncio.Event | None = None) -> None:
    handler = AsyncSocketModeHandler(bolt, app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    if ready is not None:
        ready.set()
    try:
        await asyncio.Event().wait()  # until cancelled
    finally:
        await handler.close_async()
        log.info("Slack Socket Mode closed")
