"""What every Slack listener shares: the Advisor's thread pool, background work after the
ack, the one error report, answering on response_url, and reply -> (blocks, text).

The Bolt app runs with process_before_response=True (Bolt answers Slack as soon as a
listener returns, instead of polling every 10 ms for the ack), so every listener acks and
returns at once and hands anything slower to `Dispatch.spawn`: a background task whose
failure goes to the same error report as Bolt's global error handler.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.bootstrap import App
from bot.engine.replies import Reply
from bot.service import Outcome
from bot.store.base import Scope

from .. import ids, render

log = logging.getLogger("bot.slack")

INLINE_BUDGET = 0.3  # s: a command answered by then is answered in the ack itself
ADVISOR_THREADS = 2
ERROR_MESSAGE = "Sorry, something went wrong on my side. Please try again in a moment."

Blocks = tuple[list[Any], str]  # Block Kit dicts and the notification fallback text


class Responder:
    """Posts to an interaction's response_url over the Web client's shared aiohttp session
    (Bolt's own `respond` opens a new session, and connection, for every post)."""

    def __init__(self, url: str, client: Any) -> None:
        self.url = url
        self.client = client

    _retry = None

    async def __call__(self, **body: Any) -> None:
        if not self.url:
            log.warning("no response_url to answer on")
            return
        if Responder._retry is None:
            from ..app import retry_handlers  # app imports this package: import late

            Responder._retry = retry_handlers()
        hook = AsyncWebhookClient(self.url, session=getattr(self.client, "session", None),
                                  retry_handlers=Responder._retry)
        resp = await hook.send_dict(body)
        if resp.status_code != 200:
            raise RuntimeError(f"response_url answered {resp.status_code}")


def scope_of(team: str, channel: str, user: str, thread: str = "") -> Scope:
    # Private conversations are per user; thread conversations are per thread, owner on the session.
    return Scope("slack", team or "", channel or "", thread, "" if thread else user)


def reply_blocks(reply: Reply, tok: str | None = None) -> Blocks:
    return render.dicts(reply, tok), render.fallback_text(reply)


def note_blocks(message: str) -> Blocks:
    return render.note_dicts(message), render.fallback_text(None, message)


def outcome_blocks(outcome: Outcome, thread: str) -> Blocks:
    if not outcome.ok or outcome.reply is None:
        return note_blocks(outcome.message)
    return reply_blocks(outcome.reply, ids.token(outcome.ref(), thread))


async def notify(respond: Any, message: str) -> None:
    """A private note to whoever clicked; the message they clicked on stays as it is."""
    blocks, text = note_blocks(message)
    await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)


async def report_error(app: App, error: BaseException, kind: str, respond: Any = None) -> None:
    """The one error report: log the details, count it, tell the user something short and safe."""
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
        self.advisor = app.advisor
        self.inline_budget = inline_budget
        self.tasks: set[asyncio.Task[Any]] = set()  # work still running after its ack
        # The Advisor blocks (SQLite, Redis): it runs on a small pool of its own. Few threads
        # keep the GIL hand-offs with the event loop cheap; the store serialises writes anyway.
        self.pool = ThreadPoolExecutor(max_workers=ADVISOR_THREADS, thread_name_prefix="slack-advisor")

    async def call(self, fn: Any, *args: Any) -> Any:
        """Run a blocking Advisor method off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

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
