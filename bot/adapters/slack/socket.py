"""Socket Mode: no public URL; Slack pushes envelopes over a websocket opened with the
app-level token (`xapp-...`, scope connections:write).

Importable by `python -m bot serve`::

    from bot.adapters.slack.socket import run_socket_mode
    task = asyncio.create_task(run_socket_mode(bolt, settings.slack_app_token, ready=event))
    ...
    task.cancel()   # closes the connection

`run_socket_mode(bolt, app_token, *, ready=None, intake=None)` connects (apps.connections.open
goes through `bolt.client`, so SLACK_API_URL applies), sets `ready` once connected, and runs
until cancelled. The handler must be created inside a running loop, which this does.
On shutdown, `await intake.stop()` first (an `Intake` passed in): no new envelope is read,
and the tasks of those already read are returned, to be waited for before cancelling.
"""
from __future__ import annotations

import asyncio
import logging
import time
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

    async def handle(self, client: Any, req: SocketModeRequest) -> None:
        try:
            if not isinstance(req.payload, dict) or not req.payload:
                raise gate.Rejected(400, "payload is not an object")
            gate.check_shape(req.payload)
        except gate.Rejected as exc:
            log.info("Slack Socket Mode envelope refused (%s): %s", req.type, exc.reason)
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await super().handle(client, req)


STOP_INTAKE_TIMEOUT = 2.0  # s: for the reader to stop and the envelopes read to be dispatched


class Intake:
    """Shutdown, step 1 for Socket Mode: stop taking new envelopes, keep the websocket open.

    The reader (and the session monitor, which would reconnect) is cancelled at its read, so
    an envelope is either read and dispatched, or left on the socket unacknowledged, and
    Slack delivers it again on another connection. Envelopes already read are dispatched and
    answered: their acks still go out on the open socket, which closes when run_socket_mode
    is cancelled, after them."""

    def __init__(self) -> None:
        self.client: Any = None  # slack_sdk's aiohttp SocketModeClient, once connected

    async def stop(self) -> set[asyncio.Task[object]]:
        client = self.client
        if client is None:
            return set()
        client.auto_reconnect_enabled = False
        client.connect_to_new_endpoint = _stay  # Slack's "disconnect" envelope must not reconnect
        readers = [t for t in (getattr(client, "current_session_monitor", None),
                               getattr(client, "message_receiver", None)) if t is not None and not t.done()]
        for task in readers:
            task.cancel()
        if readers:
            await asyncio.wait(readers, timeout=STOP_INTAKE_TIMEOUT)
        deadline = time.monotonic() + STOP_INTAKE_TIMEOUT
        while not client.message_queue.empty() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # the processor turns each envelope read into a task
        await asyncio.sleep(0)
        log.info("Slack Socket Mode: taking no new envelopes; answering those received")
        return {t for t in asyncio.all_tasks() if not t.done() and _dispatching(t)}


async def _stay(*_: object, **__: object) -> None:
    log.info("Slack asked to reconnect during shutdown; not reconnecting")


def _dispatching(task: asyncio.Task[object]) -> bool:
    """One envelope's listeners (slack_sdk runs each in its own task)."""
    return getattr(task.get_coro(), "__qualname__", "").endswith("SocketModeClient.run_message_listeners")


async def run_socket_mode(bolt: AsyncApp, app_token: str, *, ready: asyncio.Event | None = None,
                          intake: Intake | None = None) -> None:
    handler = CheckedSocketModeHandler(bolt, app_token)
    await handler.connect_async()
    if intake is not None:
        intake.client = handler.client
    log.info("Slack Socket Mode connected")
    if ready is not None:
        ready.set()
    try:
        await asyncio.Event().wait()  # until cancelled
    finally:
        await handler.close_async()
        log.info("Slack Socket Mode closed")
