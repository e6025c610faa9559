"""A local stand-in for the Slack Web API, for `response_url` and for Socket Mode.

It runs an aiohttp server on 127.0.0.1 in its own thread (with its own event loop),
so it works the same from plain synchronous tests and next to a bot running in
another thread or process. Every request it receives is recorded.

Stable API (other tests rely on it)::

    with SlackAPI() as slack:                      # starts on a free port
        slack.base_url                             # "http://127.0.0.1:PORT/api/"  -> SLACK_API_URL
        url = slack.response_url()                 # a fresh "http://127.0.0.1:PORT/response/<token>"
        ...
        rec = slack.wait_for(api="chat.postMessage")          # first match, waits up to `timeout`
        rec = slack.wait_for(response_url=url, index=1)       # the second post to that response_url
        rec.body["blocks"]                                    # parsed JSON (or form fields)
        slack.calls("chat.postMessage")                       # every recorded Web API call to it
        slack.posts(url)                                      # every post to that response_url
        slack.fail_next("chat.postMessage", status=429, times=1, retry_after=0)  # then normal again

Web API methods answer ``{"ok": true, ...}``; `auth.test` returns a bot identity
(BOT_USER_ID, TEAM_ID); `chat.postMessage` returns a `ts` and echoes `channel`;
`conversations.open` returns the DM ``D<user id without U>``; `views.publish` echoes the view.
Override any method with `slack.answer(method, json_dict)` (`slack.unanswer(method)` undoes it).

Files (files_upload_v2): `conversations.open` answers a DM channel ``D`` + the user id;
`files.getUploadURLExternal` hands out ``http://127.0.0.1:PORT/upload/<file_id>``, where
the raw upload is recorded (kind "upload", method = the file id); and
`files.completeUploadExternal` answers the completed files. `slack.uploads()` lists
the uploads; `slack.missing_scope(method, needed)` makes a method answer Slack's
``missing_scope`` error from then on.

Socket Mode: `apps.connections.open` answers ``ws://127.0.0.1:PORT/socket``. When a
client connects the stand-in sends ``{"type": "hello"}``. Push envelopes with
`slack.push(envelope)` (after `slack.wait_connected()`), and read the client's acks
with `slack.wait_ack(envelope_id)` -> the ack dict (``{"envelope_id": ..., "payload": ...}``);
`slack.push_raw(text)` sends any text frame (a malformed envelope, say).

Also here: `BackgroundLoop(factory)` runs a long-lived coroutine such as the bot's
``run_slack(app, http=True, host=..., port=..., ready=ready)`` in its own thread and event
loop for synchronous tests, and `free_port()`.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from .hold import Hold

BOT_USER_ID = "UBOT000001"
BOT_ID = "BBOT000001"
TEAM_ID = "T00000TEST"


@dataclass
class Recorded:
    """One request the stand-in received."""

    kind: str  # "api" (Web API method) or "response" (a response_url post)
    path: str
    method: str  # Web API method name ("chat.postMessage"), or the response_url token
    headers: dict[str, str]
    raw: bytes
    body: dict[str, Any] = field(default_factory=dict)  # JSON body, or form fields (single values)
    at: float = 0.0

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.body.get("blocks") or []
        if isinstance(blocks, str):  # form-encoded Web API calls carry blocks as a JSON string
            blocks = json.loads(blocks)
        return blocks


class SlackAPI:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[Recorded] = []
        self.acks: list[dict[str, Any]] = []
        self._answers: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, list[tuple[int, float | None]]] = {}
        self._holds: dict[str, list[Hold]] = {}  # Web API method -> requests to keep waiting, in order
        self._every_hold: list[Hold] = []  # released on stop, so no request hangs the shutdown
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._ts = itertools.count(1)

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> SlackAPI:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._start())
            except BaseException as exc:  # noqa: BLE001 - reported to the caller below
                errors.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())  # type: ignore[union-attr]
            loop.close()

        self._thread = threading.Thread(target=run, name="slack-api-standin", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            raise errors[0]
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        for hold in self._every_hold:
            hold.release()
        if self._loop is not None and self._loop.is_running():
            async def close_sockets() -> None:
                for ws in list(self._sockets):
                    await ws.close()
            try:
                asyncio.run_coroutine_threadsafe(close_sockets(), self._loop).result(5)
            except Exception:  # noqa: BLE001
                pass
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> SlackAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------
    @property
    def root(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The Web API base URL, ending with '/', for SLACK_API_URL / AsyncWebClient(base_url=...)."""
        return f"{self.root}/api/"

    def response_url(self) -> str:
        """A fresh response_url; posts to it are recorded with kind "response"."""
        return f"{self.root}/response/{secrets.token_hex(8)}"

    # -- behaviour -----------------------------------------------------------------
    def answer(self, method: str, body: dict[str, Any]) -> None:
        """Answer every later call of `method` with this JSON."""
        self._answers[method] = body

    def unanswer(self, method: str) -> None:
        """Back to the default answer for `method` (after `answer`)."""
        self._answers.pop(method, None)

    def missing_scope(self, method: str, needed: str) -> None:
        """Answer every later call of `method` the way Slack does when the token lacks a scope."""
        self.answer(method, {"ok": False, "error": "missing_scope", "needed": needed,
                             "provided": "commands,chat:write"})

    def uploads(self) -> list[Recorded]:
        with self._cond:
            return [r for r in self.requests if r.kind == "upload"]

    def fail_next(self, method: str, status: int = 429, times: int = 1, retry_after: float | None = 0) -> None:
        """Answer the next `times` calls of Web API `method` (or response_url token, or "*"
        for every response_url) with HTTP `status` (429 carries Retry-After)."""
        self._failures.setdefault(method, []).extend([(status, retry_after)] * times)

    # -- inspection ----------------------------------------------------------------
    def hold_next(self, method: str) -> Hold:
        """Keep the next call of Web API `method` waiting (recorded at once, answered only after
        `release()` on what this returns): a post still in flight."""
        hold = Hold()
        with self._cond:
            self._holds.setdefault(method, []).append(hold)
            self._every_hold.append(hold)
        return hold

    def calls(self, api: str | None = None) -> list[Recorded]:
        with self._cond:
            return [r for r in self.requests if r.kind == "api" and (api is None or r.method == api)]

    def posts(self, response_url: str | None = None) -> list[Recorded]:
        token = response_url.rsplit("/", 1)[-1] if response_url else None
        with self._cond:
            return [r for r in self.requests if r.kind == "response" and (token is None or r.method == token)]

    def wait_for(
        self,
        api: str | None = None,
        response_url: str | None = None,
        index: int = 0,
        timeout: float = 5.0,
        where: Callable[[Recorded], bool] | None = None,
    ) -> Recorded:
        """The `index`-th (0-based) recorded request matching, waiting up to `timeout` s.
        Give `api` (a Web API method) or `response_url` (or neither: any request)."""
        deadline = time.monotonic() + timeout

        def matches() -> list[Recorded]:
            found = []
            for r in self.requests:
                if api is not None and not (r.kind == "api" and r.method == api):
                    continue
                if response_url is not None and not (r.kind == "response"
                                                     and r.method == response_url.rsplit("/", 1)[-1]):
                    continue
                if where is not None and not where(r):
                    continue
                found.append(r)
            return found

        with self._cond:
            while True:
                found = matches()
                if len(found) > index:
                    return found[index]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no request #{index} for api={api!r} response_url={response_url!r} "
                                       f"within {timeout}s; got {[(r.kind, r.method) for r in self.requests]}")
                self._cond.wait(left)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> int:
        """Wait until no request arrived for `quiet` seconds; return how many were recorded."""
        deadline = time.monotonic() + timeout
        with self._cond:
            count = len(self.requests)
            while time.monotonic() < deadline:
                self._cond.wait(quiet)
                if len(self.requests) == count:
                    return count
                count = len(self.requests)
            return count

    def clear(self) -> None:
        with self._cond:
            self.requests.clear()
            self.acks.clear()

    # -- socket mode -----------------------------------------------------------------
    def wait_connected(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._sockets:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no Socket Mode client connected")
                self._cond.wait(left)

    def push(self, envelope: dict[str, Any]) -> None:
        """Send an envelope (e.g. a slash_commands one) to every connected Socket Mode client."""
        self.push_raw(json.dumps(envelope))

    def push_raw(self, text: str) -> None:
        """Send any text frame, e.g. a malformed envelope."""
        assert self._loop is not None

        async def send() -> None:
            for ws in list(self._sockets):
                await ws.send_str(text)

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(5)

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for ack in self.acks:
                    if ack.get("envelope_id") == envelope_id:
                        return ack
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no ack for envelope {envelope_id!r}; acks: {self.acks}")
                self._cond.wait(left)

    # -- handlers -----------------------------------------------------------------
    def _record(self, rec: Recorded) -> None:
        with self._cond:
            self.requests.append(rec)
            self._cond.notify_all()

    def _failure(self, key: str) -> web.Response | None:
        queue = self._failures.get(key)
        if not queue:
            return None
        status, retry_after = queue.pop(0)
        headers = {"Retry-After": str(int(retry_after))} if status == 429 and retry_after is not None else {}
        body = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        return web.Response(status=status, text=json.dumps(body), headers=headers, content_type="application/json")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.read()
        # slack-sdk sends some methods' arguments as query parameters (files.*, conversations.open)
        body = {**dict(request.query), **_parse(request, raw)}
        rec = Recorded("api", request.path, method, dict(request.headers), raw, body, time.time())
        self._record(rec)
        with self._cond:
            queue = self._holds.get(method)
            hold = queue.pop(0) if queue else None
        if hold is not None:
            await hold.block()
        failed = self._failure(method)
        if failed is not None:
            return failed
        if method in self._answers:
            return web.json_response(self._answers[method])
        if method == "auth.test":
            body = {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "framework-advisor",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        elif method == "conversations.open":
            users = str(rec.body.get("users", ""))
            body = {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:], "is_im": True}}
        elif method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):09d}"
            body = {"ok": True, "upload_url": f"{self.root}/upload/{file_id}", "file_id": file_id}
        elif method == "files.completeUploadExternal":
            files = rec.body.get("files", "[]")
            files = json.loads(files) if isinstance(files, str) else files
            body = {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title"), "name": f.get("title")}
                                          for f in files]}
        elif method == "apps.connections.open":
            body = {"ok": True, "url": f"ws://{self.host}:{self.port}/socket"}
        elif method in {"chat.postMessage", "chat.update", "chat.postEphemeral"}:
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            body = {"ok": True, "channel": rec.body.get("channel", ""), "ts": ts, "message_ts": ts,
                    "message": {"type": "message", "ts": ts, "text": rec.body.get("text", ""),
                                "blocks": rec.blocks}}
        elif method == "conversations.open":  # the app's DM with that user
            users = str(rec.body.get("users", ""))
            body = {"ok": True, "channel": {"id": "D" + users.lstrip("UW")[:10], "is_im": True}}
        elif method == "views.publish":
            body = {"ok": True, "view": {"id": "V0000000001", "type": "home", **(rec.body.get("view") or {})}}
        else:
            body = {"ok": True}
        return web.json_response(body)

    async def _response(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        raw = await request.read()
        self._record(Recorded("response", request.path, token, dict(request.headers), raw, _parse(request, raw),
                              time.time()))
        # not `or`: before aiohttp 3.12 an empty web.Response is falsy (a MutableMapping of state)
        failed = self._failure(token)
        if failed is None:
            failed = self._failure("*")
        if failed is not None:
            return failed
        return web.Response(text="ok")  # Slack answers response_url posts with plain "ok"

    async def _upload(self, request: web.Request) -> web.Response:
        raw = await request.read()
        self._record(Recorded("upload", request.path, request.match_info["file_id"], dict(request.headers), raw,
                              {}, time.time()))
        return web.Response(text=f"OK - {len(raw)}")  # what files.slack.com answers

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "connection_info": {"app_id": "A00000TEST"}}))
        with self._cond:
            self._sockets.append(ws)
            self._cond.notify_all()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    try:
                        data = json.loads(msg.data)
                    except ValueError:
                        continue
                    with self._cond:
                        self.acks.append(data)
                        self._cond.notify_all()
        finally:
            with self._cond:
                if ws in self._sockets:
                    self._sockets.remove(ws)
        return ws


def _parse(request: web.Request, raw: bytes) -> dict[str, Any]:
    text = raw.decode("utf-8", "replace")
    if request.content_type == "application/json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
            return data if isinstance(data, dict) else {"_": data}
        except ValueError:
            return {}
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


class BackgroundLoop:
    """Run a long-lived coroutine (e.g. the bot's `run_slack(...)`) in its own thread and
    event loop, for synchronous tests::

        with BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1",
                                                    port=port, ready=ready)) as bg:
            ...   # bot is listening here
        # leaving the block cancels the coroutine and joins the thread

    The factory receives an asyncio.Event to set once ready. `bg.call(coro)` runs another
    coroutine on that loop and returns its result.
    """

    def __init__(self, factory: Callable[[asyncio.Event], Any], timeout: float = 10.0) -> None:
        self.factory = factory
        self.timeout = timeout
        self.loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def start(self) -> BackgroundLoop:
        started = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self.loop = loop
            asyncio.set_event_loop(loop)

            async def main() -> None:
                ready = asyncio.Event()
                self._task = asyncio.ensure_future(self.factory(ready))
                waiter = asyncio.ensure_future(ready.wait())
                await asyncio.wait({self._task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                started.set()
                waiter.cancel()
                try:
                    await self._task
                except asyncio.CancelledError:
                    pass
                except BaseException as exc:  # noqa: BLE001 - surfaced to the test
                    self.error = exc

            try:
                loop.run_until_complete(main())
                # let listeners still running after their ack finish (or give up) cleanly
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                if pending:
                    loop.run_until_complete(asyncio.wait(pending, timeout=2))
                for t in asyncio.all_tasks(loop):
                    t.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            finally:
                started.set()
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="bot-loop", daemon=True)
        self._thread.start()
        if not started.wait(self.timeout):
            raise TimeoutError("the background coroutine did not become ready")
        if self._task is not None and self._task.done() and not self._task.cancelled():
            exc = self._task.exception()
            if exc is not None:
                raise exc
        return self

    def call(self, coro: Any, timeout: float = 10.0) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        if self.loop is not None and self._task is not None and not self.loop.is_closed():
            try:
                self.loop.call_soon_threadsafe(self._task.cancel)
            except RuntimeError:
                pass
        if self._thread is not None:
            self._thread.join(self.timeout)

    def __enter__(self) -> BackgroundLoop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
