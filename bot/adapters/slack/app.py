"""The Bolt app: `build_bolt_app(app, *, token, signing_secret, api_url) -> AsyncApp`.

Importable by `python -m bot serve`::

    from bot.adapters.slack.app import build_bolt_app
    bolt = build_bolt_app(app, token=settings.slack_bot_token,
                          signing_secret=settings.slack_signing_secret,
                          api_url=settings.slack_api_url)

- The Web client retries and shares one HTTP session as `web` says.
- `signing_secret` empty disables signature checks; only do that for Socket Mode (the
  websocket is authenticated by the app token). HTTP mode must pass the secret.
- Retried deliveries (X-Slack-Retry-Num above 0, which Socket Mode mirrors from the
  envelope's retry_attempt; a first delivery carries 0) of commands, events and team
  clicks are acknowledged and dropped, so a conversation is never advanced twice and a
  card never posted twice; conversation clicks are protected by their versions. A replayed
  signed request (same signature) is acknowledged and dropped too: `Advisor.first_delivery`
  remembers signatures for a few minutes in the store.
- A middleware opens the shared HTTP session (web.open_http_session) lazily on the first
  request if the server did not open it already.
- process_before_response=True: Bolt answers Slack as soon as a listener returns. Our
  listeners ack and return at once (a command's reply rides in the ack when it is ready
  within `inline_budget`); slower work continues as background tasks (Dispatch.spawn).
- One error report (dispatch.report_error) for Bolt's global error handler and for
  background work: logs the details, counts `observer.error("slack")` and shows the user
  a short, safe message.
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.bootstrap import App
from bot.store.deadlines import DEADLINES

from . import shape
from .handlers import Handlers, register
from .handlers.dispatch import INLINE_BUDGET, report_error
from .handlers.team import SWEEP
from .ids import TEAM_PREFIX
from .web import api_base, open_http_session, retry_handlers

log = logging.getLogger("bot.slack")


def is_retry(headers: dict[str, Any]) -> bool:
    """A retry is a retry number above 0. Socket Mode puts `retry_attempt: 0` on every first
    delivery and Bolt mirrors it into `x-slack-retry-num: "0"`, so presence alone means nothing."""
    value = headers.get("x-slack-retry-num")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    try:
        return int(str(value).strip()) > 0
    except (TypeError, ValueError):
        return False


def _unversioned(body: dict[str, Any]) -> bool:
    """A click no version protects: a team card's or team result's button (its value is the team
    decision's id, valid until it closes), and Ask my team (each press starts a card). A retry
    of one would be applied twice, so it is dropped like a retried command."""
    actions = body.get("actions") or [{}]
    return str(actions[0].get("action_id") or "").startswith(TEAM_PREFIX)


def _first(headers: dict[str, Any], name: str) -> str:
    value = headers.get(name)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if isinstance(value, str) else ""


class BeforeListeners(AsyncMiddleware):
    """Drops retried deliveries (but not clicks) and replays of a signed request, and opens
    the shared HTTP session lazily. Runs after Bolt's own signature check. A middleware class
    rather than a `@bolt.middleware` function: Bolt builds every injectable argument (say,
    respond, ...) for each call of a function middleware."""

    def __init__(self, bolt: AsyncApp, app: App, h: Handlers) -> None:
        self.bolt = bolt
        self.app = app
        self.handlers = h
        # Claims on threads of their own: they never queue behind steps stuck on a slow store.
        self.claims = ThreadPoolExecutor(max_workers=2, thread_name_prefix="slack-claim")

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:  # noqa: A002
        body = req.body
        kind = body.get("type") or body.get("command") or "?"
        if is_retry(req.headers) and (body.get("type") != "block_actions" or _unversioned(body)):
            log.info("ignoring a retried Slack delivery (%s)", kind)
            return BoltResponse(status=200, body="")
        if not await self._first_delivery(_first(req.headers, "x-slack-signature")):
            log.info("ignoring a replayed Slack request (%s)", kind)
            return BoltResponse(status=200, body="")
        bolt = self.bolt
        if bolt.client.session is None or bolt.client.session.closed:
            await open_http_session(bolt)
            req.context.client.session = bolt.client.session
        return await next()

    async def _first_delivery(self, signature: str) -> bool:
        """HTTP mode: a replay carries the same signature (it covers timestamp and body), so it
        is applied at most once, across replicas sharing the store. Socket Mode has no
        signature (the websocket is authenticated) and nothing to check. If the store cannot
        answer within DEADLINES.claim_wait, the request goes on: the ack must not wait for a
        hung store, and the step itself then fails or succeeds on its own."""
        if not signature:
            return True
        claim = asyncio.get_running_loop().run_in_executor(self.claims, self.app.advisor.first_delivery, signature)
        try:
            return bool(await asyncio.wait_for(claim, DEADLINES.claim_wait))
        except TimeoutError:  # asyncio's, since Python 3.11
            log.warning("replay check: no answer from the session store within %g s; handling the request",
                        DEADLINES.claim_wait)
            return True
        except Exception as exc:  # noqa: BLE001 - fail open, said once per request
            log.warning("replay check unavailable (%s: %s); handling the request", type(exc).__name__, exc)
            return True


def _describe(body: dict[str, Any]) -> str:
    """A few words on what arrived, never user text: the kind and the id a listener matches on."""
    kind = shape.kind_of(body)
    if kind == "command":
        return f"command {str(body.get('command'))[:40]!r}"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"block_actions {str(actions[0].get('action_id'))[:60]!r}"
    if kind == "event_callback":
        return f"event {str((body.get('event') or {}).get('type'))[:40]!r}"
    return f"type {kind[:40]!r}" if kind else "a body without a type"


_HANDLERS: weakref.WeakKeyDictionary[AsyncApp, Handlers] = weakref.WeakKeyDictionary()


async def team_sweep(bolt: AsyncApp, every: float = SWEEP) -> None:
    """Every `every` seconds, close the team decisions past their deadline (of several replicas
    one wins each) and post their results, until cancelled. Runs beside the adapter (run_slack
    and serve start it): a deadline passes whether or not anyone clicks."""
    await _HANDLERS[bolt].sweep(every)


def build_bolt_app(app: App, *, token: str, signing_secret: str = "", api_url: str = "",
                   inline_budget: float = INLINE_BUDGET) -> AsyncApp:
    """An AsyncApp with the /framework command, clicks and app_mention registered.
    `inline_budget`: seconds a command may take to be answered in its ack (0: always ack
    empty first and answer through response_url)."""
    # Bolt builds its Web client from `token`. Handing it a `client` instead makes it log "`token`
    # will be unused" whenever SLACK_BOT_TOKEN is in the environment (it reads that by itself), so
    # the client it built is pointed at our API URL and retries afterwards; Bolt copies both into
    # the client of every request.
    bolt = AsyncApp(
        token=token,
        signing_secret=signing_secret,
        request_verification_enabled=bool(signing_secret),
        # Bolt answers when a listener returns (no 10 ms ack polling); our listeners ack
        # and return at once and run slower work as background tasks (Dispatch.spawn).
        process_before_response=True,
        # A request no listener takes goes to on_error (one line) instead of Bolt's
        # multi-line "Unhandled request" advice.
        raise_error_for_unhandled_request=True,
        logger=logging.getLogger("bot.slack.bolt"),
    )
    bolt.client.base_url = api_base(api_url)
    bolt.client.retry_handlers = retry_handlers()

    h = register(bolt, app, inline_budget=inline_budget)
    _HANDLERS[bolt] = h
    bolt.use(BeforeListeners(bolt, app, h))

    @bolt.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Any = None) -> None:
        kind = body.get("type") or body.get("command") or "request"
        if isinstance(error, BoltUnhandledRequestError):  # Bolt answers 404
            log.info("Slack request not handled: no listener for %s", _describe(body))
            return
        await report_error(app, error, kind, respond if body.get("response_url") else None)

    return bolt
