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

from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from . import gate

log = logging.getLogger("bot.slack")


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Bolt's handler with HTTP mode's shape check first (gate.check_shape): an envelope whose
    payload Slack never sends (`actions: []`, a numeric action_id) is acknowledged, so it is
    not delivered again, and logged in one line, instead of a traceback from inside Bolt."""

    async def handle(self, client: Any, req: SocketModeRequest) -> None:  # type: ignore[override]
        try:
            if not isinstance(req.payload, dict) or not req.payload:
                raise gate.Rejected(400, "payload is not an object")
            gate.check_shape(req.payload)
        except gate.Rejected as exc:
            log.info("Slack Socket Mode envelope refused (%s): %s", req.type, exc.reason)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await super().handle(client, req)


async def run_socket_mode(bolt: AsyncApp, app_token: str, *, ready: asyncio.Event | None = None) -> None:
    handler = CheckedSocketModeHandler(bolt, app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    if ready is not None:
        ready.set()
    try:
        await asyncio.Event().wait()  # until cancelled
    finally:
        await handler.close_async()
        log.info("Slack Socket Mode closed")
