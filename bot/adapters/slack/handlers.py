"""Bolt listeners: Slack payload -> engine event / service call -> rendered reply.

`register(bolt, app)` adds:
- the `/framework` command (help, about, compare, restart, or free text to start);
- every click whose action_id matches the contract in `ids` (answers, nav, share);
- `app_mention`: a public conversation in a thread, owned by whoever mentioned the bot.

No business rules here: the Advisor decides, `render` draws. The Advisor is synchronous
(SQLite/Redis), so it runs in a worker thread.

The Bolt app runs with process_before_response=True (Bolt answers Slack as soon as a
listener returns, instead of polling every 10 ms for the ack), so every listener acks and
returns at once and hands anything slower to `Handlers.spawn`: a background task whose
failure goes to the same error report as Bolt's global error handler.
"""
from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import engine
from bot.bootstrap import App
from bot.engine.events import Answer, Back, Event, More, Restart, Skip
from bot.engine.replies import Recommendation
from bot.service import MESSAGES, Outcome
from bot.store.base import Scope

from . import ids, render

log = logging.getLogger("bot.slack")

INLINE_BUDGET = 0.3  # s: a command answered by then is answered in the ack itself
MAX_TEXT = 2000
ADVISOR_THREADS = 2  # longer free text is cut before it reaches the engine
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
NOT_SHARED = ("I can't post in this channel. Invite me with /invite and press Share again, "
              "or copy the recommendation yourself.")
SHARED = "Shared with the channel."
NOTHING_TO_SHARE = "There is no recommendation to share yet."


class Responder:
    """Posts to an interaction's response_url over the Web client's shared aiohttp session
    (Bolt's own `respond` opens a new session, and connection, for every post)."""

    def __init__(self, url: str, client) -> None:  # noqa: ANN001
        self.url = url
        self.client = client

    _retry = None

    async def __call__(self, **body: Any) -> None:
        if not self.url:
            log.warning("no response_url to answer on")
            return
        if Responder._retry is None:
            from .app import retry_handlers

            Responder._retry = retry_handlers()
        hook = AsyncWebhookClient(self.url, session=getattr(self.client, "session", None),
                                  retry_handlers=Responder._retry)
        resp = await hook.send_dict(body)
        if resp.status_code != 200:
            raise RuntimeError(f"response_url answered {resp.status_code}")


def _scope(team: str, channel: str, user: str, thread: str = "") -> Scope:
    # Private conversations are per user; thread conversations are per thread, owner on the session.
    return Scope("slack", team or "", channel or "", thread, "" if thread else user)


ERROR_MESSAGE = "Sorry, something went wrong on my side. Please try again in a moment."


async def report_error(app: App, error: BaseException, kind: str, respond=None) -> None:  # noqa: ANN001
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


class Handlers:
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

    # -- shared ---------------------------------------------------------------------
    async def text_reply(self, scope: Scope, user: str, text: str, thread: str = "") -> tuple[list[Any], str]:
        """Blocks and fallback text for `/framework <text>` or a mention's text."""
        text = text.strip()[:MAX_TEXT]
        word, _, rest = text.partition(" ")
        word = word.lower()
        knowledge = self.app.knowledge()
        try:
            if word == "help" and not rest.strip():
                reply = engine.help_reply(knowledge)
                return render.dicts(reply), render.fallback_text(reply)
            if word == "about":
                reply = engine.about(knowledge, rest)
                return render.dicts(reply), render.fallback_text(reply)
            if word == "compare":
                reply = engine.compare(knowledge, rest.replace(",", " ").split())
                return render.dicts(reply), render.fallback_text(reply)
        except engine.EngineError as exc:
            return render.note_dicts(str(exc)), render.fallback_text(None, str(exc))
        start_text = "" if word == "restart" and not rest.strip() else text
        outcome = await self.call(self.advisor.start, scope, user, start_text)
        return self.outcome_blocks(outcome, thread)

    def outcome_blocks(self, outcome: Outcome, thread: str) -> tuple[list[Any], str]:
        if not outcome.ok or outcome.reply is None:
            return render.note_dicts(outcome.message), render.fallback_text(None, outcome.message)
        tok = ids.token(outcome.ref(), thread)
        return render.dicts(outcome.reply, tok), render.fallback_text(outcome.reply)

    # -- /framework -------------------------------------------------------------------
    async def command(self, ack, command: dict[str, Any], client, context) -> None:  # noqa: ANN001
        """The ack always leaves within `inline_budget` (well inside Slack's 3 s). If the
        reply is ready by then it travels in the ack itself (one round trip, no
        response_url post); otherwise the ack is empty and the reply follows on
        response_url when the work is done."""
        user = command.get("user_id", "")
        scope = _scope(context.team_id or command.get("team_id", ""), command.get("channel_id", ""), user)
        respond = Responder(command.get("response_url", ""), client)
        work = asyncio.ensure_future(self.text_reply(scope, user, command.get("text", "")))
        if self.inline_budget > 0:
            await asyncio.wait({work}, timeout=self.inline_budget)
        if work.done() and work.exception() is None:
            blocks, text = work.result()
            await ack(blocks=blocks, text=text, response_type="ephemeral")
            return
        await ack()

        async def later() -> None:
            blocks, text = await work
            await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)

        self.spawn(later(), "command", respond)

    # -- clicks -------------------------------------------------------------------
    async def action(self, ack, body: dict[str, Any], action: dict[str, Any], client, context) -> None:  # noqa: ANN001
        await ack()
        respond = Responder(body.get("response_url", ""), client)
        self.spawn(self.click(body, action, client, context, respond), "block_actions", respond)

    async def click(self, body: dict[str, Any], action: dict[str, Any], client, context, respond) -> None:  # noqa: ANN001
        parsed = ids.parse_action(action.get("action_id"))
        if action.get("type") == "static_select":
            tok = ids.token_from_block_id(action.get("block_id"))
            option = (action.get("selected_option") or {}).get("value", "")
        else:
            tok = ids.parse_token(action.get("value"))
            option = parsed.option if parsed else ""
        if parsed is None or tok is None or (parsed.kind == ids.ANSWER and not option):
            await self.notify(respond, MESSAGES["stale"])
            return
        user = (body.get("user") or {}).get("id", "")
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        scope = _scope(context.team_id or (body.get("team") or {}).get("id", ""), channel, user, tok.thread)

        if parsed.kind == ids.SHARE:
            await self.share(scope, user, tok, channel, respond, client)
            return
        event: Event
        if parsed.kind == ids.ANSWER:
            event = Answer(parsed.question, option)
        else:
            event = {"skip": Skip(), "back": Back(), "restart": Restart(), "more": More()}[parsed.nav]
        outcome = await self.call(self.advisor.act, scope, user, event, tok.ref)
        if not outcome.ok:
            await self.notify(respond, outcome.message)
            return
        blocks, text = self.outcome_blocks(outcome, tok.thread)
        await respond(blocks=blocks, text=text, replace_original=True)

    async def share(self, scope: Scope, user: str, tok: ids.Token, channel: str, respond, client) -> None:  # noqa: ANN001
        outcome = await self.call(self.advisor.current, scope, user, tok.ref, True)
        if not outcome.ok:
            await self.notify(respond, outcome.message)
            return
        if not isinstance(outcome.reply, Recommendation):
            await self.notify(respond, NOTHING_TO_SHARE)
            return
        blocks = render.dicts(outcome.reply, shared_by=user)
        try:
            await client.chat_postMessage(channel=channel, blocks=blocks, text=render.fallback_text(outcome.reply))
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else ""
            if error in {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}:
                log.info("share refused by Slack: %s", error)
                await self.notify(respond, NOT_SHARED)
                return
            raise
        await self.notify(respond, SHARED)

    @staticmethod
    async def notify(respond, message: str) -> None:  # noqa: ANN001
        """A private note to whoever clicked; the message they clicked on stays as it is."""
        await respond(blocks=render.note_dicts(message), text=render.fallback_text(None, message),
                      response_type="ephemeral", replace_original=False)

    # -- @mention ----------------------------------------------------------------------
    async def mention(self, event: dict[str, Any], client, context) -> None:  # noqa: ANN001
        # events are acknowledged when this returns; the work goes on in the background
        self.spawn(self.mentioned(event, client, context), "app_mention")

    async def mentioned(self, event: dict[str, Any], client, context) -> None:  # noqa: ANN001
        if event.get("bot_id") or not event.get("user"):
            return
        user, channel = event["user"], event.get("channel", "")
        thread = event.get("thread_ts") or event.get("ts", "")
        scope = _scope(context.team_id or "", channel, user, thread)
        existing = await self.call(self.advisor.current, scope, user)
        if existing.status == "not_owner":
            await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread,
                                            blocks=render.note_dicts(existing.message),
                                            text=render.fallback_text(None, existing.message))
            return
        text = _MENTION.sub(" ", event.get("text", ""))
        blocks, fallback = await self.text_reply(scope, user, text, thread)
        await client.chat_postMessage(channel=channel, thread_ts=thread, blocks=blocks, text=fallback)


def register(bolt: AsyncApp, app: App, inline_budget: float = INLINE_BUDGET) -> Handlers:
    h = Handlers(app, inline_budget)
    bolt.command("/framework")(h.command)
    bolt.action(ids.ACTION_PATTERN)(h.action)
    bolt.event("app_mention")(h.mention)
    return h
