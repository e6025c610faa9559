"""What every Slack listener shares: the Advisor's thread pool, background work after the
ack, the one error report, answering on response_url, and reply -> (blocks, text).

The Bolt app runs with process_before_response=True (Bolt answers Slack as soon as a
listener returns, instead of polling every 10 ms for the ack), so every listener acks and
returns at once and hands anything slower to `Dispatch.spawn`: a background task whose
failure goes to the same error report as Bolt's global error handler.
"""
from __future__ import annotations

import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
from slack_sdk.http_retry.request import HttpRequest as RetryHttpRequest
from slack_sdk.http_retry.response import HttpResponse as RetryHttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.internal_utils import get_user_agent
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.bootstrap import App
from bot.engine.replies import Reply
from bot.service.outcome import Outcome
from bot.store.base import Scope
from bot.store.deadlines import StoreUnavailable

from .. import ids, render
from ..web import retry_handlers

log = logging.getLogger("bot.slack")

INLINE_BUDGET = 0.3  # s: a command answered by then is answered in the ack itself
ADVISOR_THREADS = 2
ERROR_MESSAGE = "Sorry, something went wrong on my side. Please try again in a moment."

Blocks = tuple[list[Any], str]  # Block Kit dicts and the notification fallback text


class Responder:
    """Posts to an interaction's response_url over the Web client's shared aiohttp session
    (Bolt's own `respond` opens a new session, and connection, for every post).

    The body is JSON-encoded once and posted directly; a 429/5xx answer or a connection
    error goes through slack-sdk's retry handlers (`web.retry_handlers`), the same loop
    slack-sdk's AsyncWebhookClient runs, without building a webhook client per reply."""

    __slots__ = ("url", "client")

    _retry = retry_handlers()

    def __init__(self, url: str, client: Any) -> None:
        self.url = url
        self.client = client

    async def __call__(self, **body: Any) -> None:
        if not self.url:
            log.warning("no response_url to answer on")
            return
        session = getattr(self.client, "session", None)
        if session is None or session.closed:  # no shared session (yet): slack-sdk opens its own
            hook = AsyncWebhookClient(self.url, retry_handlers=Responder._retry)
            status = (await hook.send_dict(body)).status_code
        else:
            data = json.dumps({k: v for k, v in body.items() if v is not None}).encode()
            status = await post_json(session, self.url, data, Responder._retry)
        if status != 200:
            raise RuntimeError(f"response_url answered {status}")


_HEADERS: dict[str, str] = {}


async def post_json(session: aiohttp.ClientSession, url: str, data: bytes, retry: list[Any]) -> int:
    """POST `data` (JSON) to `url`; retried like slack-sdk's webhook client. Returns the status."""
    if not _HEADERS:
        _HEADERS.update({"Content-Type": "application/json;charset=utf-8", "User-Agent": get_user_agent()})
    state: RetryState | None = None
    request: RetryHttpRequest | None = None
    for _ in range(100):  # slack-sdk's own safety bound
        response: RetryHttpResponse | None = None
        error: Exception | None = None
        try:
            async with session.post(url, data=data, headers=_HEADERS) as res:
                payload = await res.read()
                if res.status < 400:
                    return res.status
                response = RetryHttpResponse(status_code=res.status, headers=dict(res.headers), data=payload)
        except Exception as exc:  # noqa: BLE001 - a connection error: maybe retried, else raised
            error = exc
        if state is None:
            state = RetryState()
            request = RetryHttpRequest(method="POST", url=url, headers={**_HEADERS}, data=data)
        state.next_attempt_requested = False
        for handler in retry:
            if await handler.can_retry_async(state=state, request=request, response=response, error=error):
                await handler.prepare_for_next_attempt_async(state=state, request=request, response=response,
                                                             error=error)
                break
        if not state.next_attempt_requested:
            if error is not None:
                raise error
            assert response is not None
            return response.status_code
    raise RuntimeError(f"response_url: gave up after 100 attempts on {url}")


def scope_of(team: str, channel: str, user: str, thread: str = "") -> Scope:
    # Private conversations are per user; thread conversations are per thread, owner on the session.
    return Scope("slack", team or "", channel or "", thread, "" if thread else user)


def reply_blocks(reply: Reply, tok: str | None = None, shared_in: str = "", names: render.Names = (),
                 member: bool = False, note: str = "") -> Blocks:
    return (render.dicts(reply, tok, shared_in=shared_in, names=names, member=member, note=note),
            render.fallback_text(reply))


def note_blocks(message: str) -> Blocks:
    return render.note_dicts(message), render.fallback_text(None, message)


def outcome_blocks(outcome: Outcome, thread: str, names: render.Names = (), team: str = "") -> Blocks:
    """`team`: a member's conversation in that team decision (its buttons say so)."""
    if not outcome.ok or outcome.reply is None:
        return note_blocks(outcome.message)
    return reply_blocks(outcome.reply, ids.token(outcome.ref(), thread, team), outcome.shared, names,
                        member=bool(team), note=outcome.team_note)


async def notify(respond: Any, message: str, channels: bool = False) -> None:
    """A private note to whoever clicked; the message they clicked on stays as it is.
    `channels`: the service's channel references stay links (render.note)."""
    blocks, text = render.note_dicts(message, channels), render.fallback_text(None, message)
    await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)


async def report_error(app: App, error: BaseException, kind: str, respond: Any = None) -> None:
    """The one error report: log the details, count it, tell the user something short and safe.
    A store that is hung or gone is one line (its own message says which call and deadline),
    not a traceback per request while it lasts."""
    if isinstance(error, StoreUnavailable):
        log.error("Slack %s failed: %s", kind, error)
        app.observer.error("store")
    else:
        log.error("Slack %s failed: %s", kind, error, exc_info=error)
        app.observer.error("slack")
    if respond is None:
        return
    try:
        await respond(text=ERROR_MESSAGE, blocks=render.note_dicts(ERROR_MESSAGE), response_type="ephemeral",
                      replace_original=False)
    except Exception:  # noqa: BLE001 - the error is already logged; never loop
        log.warning("could not tell the user about the error", exc_info=True)


class Dispatch:
    """The state the listeners share; `Handlers` adds the listeners themselves."""

    def __init__(self, app: App, inline_budget: float = INLINE_BUDGET) -> None:
        self.app = app
        self.wait = app.settings.store_deadlines.wait
        self.advisor = app.advisor
        self.inline_budget = inline_budget
        self.tasks: set[asyncio.Task[Any]] = set()  # work still running after its ack
        # The Advisor blocks (SQLite, Redis): it runs on a small pool of its own. Few threads
        # keep the GIL hand-offs with the event loop cheap; the store serialises writes anyway.
        self.pool = ThreadPoolExecutor(max_workers=ADVISOR_THREADS, thread_name_prefix="slack-advisor")

    def names(self) -> render.Names:
        return render.question_names(self.app.knowledge())

    async def call(self, fn: Any, *args: Any) -> Any:
        """Run a blocking Advisor method off the event loop, for at most the store's `wait`
        (StoreUnavailable after that: the user gets the note, whatever the queue ahead)."""
        future = asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)
        done, _ = await asyncio.wait({future}, timeout=self.wait)
        if not done:
            future.cancel()  # not started yet: it never runs; started: the store's own deadline ends it
            raise StoreUnavailable("call", self.wait, "no answer in time (the store is slow or hung)")
        return future.result()

    def spawn(self, coro: Any, kind: str, respond: Any = None) -> asyncio.Task[Any]:
        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported, never lost
                await report_error(self.app, exc, kind, respond)

        task = asyncio.ensure_future(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task
