"""HTTP mode: Slack posts commands, clicks and events to `POST /slack/events`.

Importable by `python -m bot serve`, which mounts the route on its own aiohttp server
next to /healthz and /metrics::

    from bot.adapters.slack.http import events_handler
    web_app.router.add_post("/slack/events", events_handler(bolt, signing_secret))

`events_handler(bolt, signing_secret)` returns an aiohttp handler `async (web.Request) ->
web.Response`. Every request passes `gate.admit` first: the signature is checked on the raw
bytes (401 otherwise) and the body must be what Slack sends (400 otherwise), all before Bolt
parses anything, so a forged or malformed request costs one HMAC and one log line, never a
traceback. Bolt then answers as soon as the listener calls `ack()`; the rest of the work
continues in the background. `make_web_app(bolt, signing_secret)` is a complete aiohttp
Application with just that route (what `python -m bot slack --http` serves).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import ClientError, web
from aiohttp.http_exceptions import HttpProcessingError
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp

from . import gate

log = logging.getLogger("bot.slack")

EVENTS_PATH = "/slack/events"
MAX_BODY = 256 * 1024  # Slack payloads are a few KB; refuse anything absurd before parsing
# What reading a body raises when the client hangs up half way (aiohttp version dependent).
_HUNG_UP = (ClientError, ConnectionError, HttpProcessingError, asyncio.IncompleteReadError)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def events_handler(bolt: AsyncApp, signing_secret: str) -> Handler:
    verifier = gate.RawVerifier(signing_secret)

    async def slack_events(request: web.Request) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > MAX_BODY:
            log.info("Slack request refused: body of %d bytes (413)", request.content_length)
            return web.Response(status=413, text="payload too large")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.info("Slack request refused: body over %d bytes (413)", MAX_BODY)
            return web.Response(status=413, text="payload too large")
        except _HUNG_UP as exc:
            log.info("Slack request dropped: the client hung up before the body ended (%s)", type(exc).__name__)
            return web.Response(status=400, text="incomplete body")
        try:
            bolt_request = gate.admit(verifier, raw, request.headers, request.query_string)
        except gate.Rejected as exc:
            log.info("Slack request refused (%d): %s (from %s)", exc.status, exc.reason, request.remote or "?")
            return web.Response(status=exc.status, text="invalid request" if exc.status == 400 else "unauthorized")
        bolt_response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


def make_web_app(bolt: AsyncApp, signing_secret: str, path: str = EVENTS_PATH) -> web.Application:
    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.router.add_post(path, events_handler(bolt, signing_secret))
    return web_app
