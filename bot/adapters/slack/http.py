"""HTTP mode: Slack posts commands, clicks and events to `POST /slack/events`.

Importable by `python -m bot serve`, which mounts the route on its own aiohttp server
next to /healthz and /metrics::

    from bot.adapters.slack.http import events_handler
    web_app.router.add_post("/slack/events", events_handler(bolt))

`events_handler(bolt)` returns an aiohttp handler `async (web.Request) -> web.Response`.
Bolt verifies the signature and timestamp of every request (401 otherwise, before any
listener runs) and answers as soon as the listener calls `ack()`; the rest of the work
continues in the background. `make_web_app(bolt)` is a complete aiohttp Application
with just that route (what `python -m bot slack --http` serves).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

EVENTS_PATH = "/slack/events"
MAX_BODY = 256 * 1024  # Slack payloads are a few KB; refuse anything absurd before parsing

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def events_handler(bolt: AsyncApp) -> Handler:
    async def slack_events(request: web.Request) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="payload too large")
        bolt_request = await to_bolt_request(request)
        bolt_response = await bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return slack_events


def make_web_app(bolt: AsyncApp, path: str = EVENTS_PATH) -> web.Application:
    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.router.add_post(path, events_handler(bolt))
    return web_app
