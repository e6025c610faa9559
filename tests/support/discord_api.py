"""A local stand-in for Discord: REST API and gateway on one aiohttp port on 127.0.0.1.

REST (under /api/v10): users/@me, oauth2/applications/@me, gateway/bot, interaction callbacks,
webhook follow-ups and original-response edits, channel messages, command registration.
Every request is recorded. Interaction responses that carry a message are answered with
that message (and `response_message_id`), and the stand-in keeps every message it made, so a
test can read the rendered components back and click them.

Gateway (ws://127.0.0.1:PORT/gateway): HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat
ACKs, RESUME -> RESUMED, zlib-stream compression when the client asks for it; `dispatch()`
pushes events such as INTERACTION_CREATE to every identified connection.

It runs on its own thread and event loop, so synchronous tests, an in-process bot on
another loop and a bot in a subprocess can all talk to it.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from aiohttp import WSMsgType, web

from .hold import Hold

API = "/api/v10"
APP_ID = "1100000000000000001"
BOT_ID = APP_ID
GUILD_ID = "1200000000000000001"
CHANNEL_ID = "1300000000000000001"
OWNER_ID = "1400000000000000001"

_ids = itertools.count(1)


def snowflake() -> str:
    # Discord ids are 64-bit snowflakes: timestamp in the top bits.
    return str(((int(time.time() * 1000) - 1420070400000) << 22) + next(_ids) % (1 << 22))


def user(user_id: str, name: str, bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "username": name, "global_name": name, "discriminator": "0", "avatar": None,
            "bot": bot, "public_flags": 0, "flags": 0}


BOT_USER = user(BOT_ID, "framework-advisor", bot=True)


def guild() -> dict[str, Any]:
    return {
        "id": GUILD_ID, "name": "Test guild", "icon": None, "owner_id": OWNER_ID, "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "features": [], "mfa_level": 0, "premium_tier": 0, "preferred_locale": "en-US", "nsfw_level": 0,
        "system_channel_flags": 0, "roles": [{"id": GUILD_ID, "name": "@everyone", "color": 0, "hoist": False,
                                                "position": 0, "permissions": "1071698660929", "managed": False,
                                                "mentionable": False, "flags": 0}],
        "emojis": [], "stickers": [], "member_count": 2, "large": False, "unavailable": False,
        "channels": [{"id": CHANNEL_ID, "type": 0, "name": "general", "position": 0, "permission_overwrites": [],
                      "nsfw": False, "parent_id": None, "topic": None, "rate_limit_per_user": 0}],
        "members": [], "voice_states": [], "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "joined_at": "2026-01-01T00:00:00+00:00",
    }


@dataclass
class Request:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)
    files: list[dict[str, Any]] = field(default_factory=list)  # multipart uploads: name, filename, type, data
    status: int = 200  # what the stand-in answered

    @property
    def data(self) -> dict[str, Any]:
        """For interaction callbacks: the `data` of the response; otherwise the body."""
        if isinstance(self.body, dict) and "type" in self.body and "data" in self.body:
            return self.body.get("data") or {}
        return self.body if isinstance(self.body, dict) else {}


class DiscordStandIn:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.gateway_log: list[dict[str, Any]] = []  # frames received from clients
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> message payload
        self.clicked: dict[str, str] = {}  # interaction id -> message id of the clicked message
        self.invokers: dict[str, dict[str, Any]] = {}  # interaction id -> (user, interaction type)
        self.responded: dict[str, str] = {}  # interaction id -> message id its callback created or edited
        self.rest_messages = 0
        self.deleted: list[str] = []  # ids of messages the bot deleted
        self._original: dict[str, str] = {}  # interaction token -> message id of the original response
        self._by_token: dict[str, dict[str, Any]] = {}
        self._cond = threading.Condition()
        self._sockets: list[tuple[web.WebSocketResponse, Any]] = []
        self._seq = itertools.count(1)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="discord-standin", daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.compress_requested: list[str] = []
        # Faults for the next matching request (method, path regex): answered with an error
        # instead, or held until the test releases it (see fail_next, hold_next).
        self._faults: list[tuple[str, str, int, dict[str, Any]]] = []
        self._holds: list[tuple[str, str, Hold]] = []
        self._every_hold: list[Hold] = []  # released on stop, so no request hangs the shutdown

    # ---- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> DiscordStandIn:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(sock), self.loop).result(10)
        return self

    async def _start(self, sock: socket.socket) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    def stop(self) -> None:
        for hold in self._every_hold:
            hold.release()

        async def _stop() -> None:
            for ws, _ in list(self._sockets):
                await ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        try:
            asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ---- waiting on what the bot did -------------------------------------------------------------------------

    def wait_for(self, predicate: Callable[[Request], bool], timeout: float = 10.0, after: int = 0) -> Request:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for r in self.requests[after:]:
                    if predicate(r):
                        return r
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [f"{r.method} {r.path}" for r in self.requests[after:]]
                    raise AssertionError(f"no matching request within {timeout}s; saw {seen}")
                self._cond.wait(left)

    def callback(self, interaction_id: str, timeout: float = 10.0) -> Request:
        return self.wait_for(lambda r: r.method == "POST" and r.path.startswith(f"/interactions/{interaction_id}/"),
                             timeout)

    def calls(self, prefix: str) -> list[Request]:
        with self._cond:
            return [r for r in self.requests if r.path.startswith(prefix)]

    def wait_gateway(self, op: int, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for frame in self.gateway_log:
                    if frame.get("op") == op:
                        return frame
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no gateway op {op} within {timeout}s")
                self._cond.wait(left)

    # ---- faults ----------------------------------------------------------------------------------------------

    def fail_next(self, method: str, pattern: str, status: int = 403, code: int = 50001,
                  message: str = "Missing Access") -> None:
        """Answer the next `method` request whose path fully matches `pattern` with Discord's
        error JSON (say 403 50001 "Missing Access", 400 50035 "Invalid Form Body"). Not 5xx:
        discord.py retries those with sleeps."""
        with self._cond:
            self._faults.append((method, pattern, status, {"message": message, "code": code}))

    def rate_limit_next(self, method: str, pattern: str, retry_after: float = 0.3) -> None:
        """Answer the next matching request with 429 as Discord does (JSON `retry_after` and the
        `Via` header discord.py looks for), so discord.py waits that long and sends it again."""
        with self._cond:
            self._faults.append((method, pattern, 429, {"message": "You are being rate limited.",
                                                         "retry_after": retry_after, "global": False}))

    def hold_next(self, method: str, pattern: str) -> Hold:
        """Keep the next matching request waiting (recorded only once answered) until the test
        calls `release()` on what this returns: a post still in flight."""
        hold = Hold()
        with self._cond:
            self._holds.append((method, pattern, hold))
            self._every_hold.append(hold)
        return hold

    def _take(self, items: list[Any], method: str, path: str) -> Any:
        with self._cond:
            for item in items:
                if item[0] == method and re.fullmatch(item[1], path):
                    items.remove(item)
                    return item
        return None

    # ---- REST ------------------------------------------------------------------------------------------------

    @staticmethod
    def _json(payload: Any, status: int = 200) -> web.Response:
        # Exactly "application/json": discord.py ignores bodies with "; charset=utf-8".
        return web.Response(body=json.dumps(payload).encode(), status=status,
                            headers={"Content-Type": "application/json"})

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[dict[str, Any]] = []
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                body = json.loads(raw or b"null")
            elif request.content_type.startswith("multipart/"):
                body, files = _multipart(request.headers["Content-Type"], raw)
        hold = self._take(self._holds, request.method, path)
        if hold is not None:
            await hold[2].block()
        rec = Request(request.method, path, dict(request.query), body, files=files)
        fault = self._take(self._faults, request.method, path)
        response = self._json(fault[3], fault[2]) if fault is not None else self._answer(rec)
        if fault is not None and fault[2] == 429:
            response.headers.update({"Via": "1.1 google", "Retry-After": str(fault[3]["retry_after"]),
                                     "X-RateLimit-Scope": "user"})
        rec.status = response.status
        with self._cond:
            self.requests.append(rec)
            self._cond.notify_all()
        return response

    def _answer(self, r: Request) -> web.Response:
        m, p = r.method, r.path
        if m == "GET" and p == "/users/@me":
            return self._json(BOT_USER)
        if m == "GET" and p in ("/oauth2/applications/@me", "/applications/@me"):
            return self._json({"id": APP_ID, "name": "Framework Advisor", "icon": None, "description": "",
                               "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
                               "owner": user(OWNER_ID, "owner"), "flags": 0, "team": None, "summary": "",
                               "rpc_origins": [], "bot": BOT_USER})
        if m == "GET" and p in ("/gateway/bot", "/gateway"):
            return self._json({"url": self.gateway_url, "shards": 1,
                               "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                                       "max_concurrency": 1}})
        hit = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p)
        if m == "POST" and hit:
            return self._interaction_callback(hit.group(1), r.body or {})
        hit = re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/@original", p)
        if hit and m == "PATCH":
            token = hit.group(2)
            mid = self._original.get(token)
            if mid is None:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            return self._json(self._edit(mid, r.body or {}))
        if hit and m == "GET":
            mid = self._original.get(hit.group(2))
            return self._json(self.messages[mid]) if mid else self._json({"message": "Unknown", "code": 10008}, 404)
        hit = re.fullmatch(r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", p)
        if hit and m == "DELETE":
            mid = self._original.get(hit.group(2)) if hit.group(3) == "@original" else hit.group(3)
            with self._cond:
                gone = self.messages.pop(mid, None) if mid else None
                if gone is not None:
                    self.deleted.append(mid)
            if gone is None:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            return web.Response(status=204)
        hit = re.fullmatch(r"/webhooks/(\d+)/([^/]+)", p)
        if hit and m == "POST":
            invoker = self._by_token.get(hit.group(2), {})
            return self._json(self._new_message(r.body or {}, invoker.get("channel_id", CHANNEL_ID), invoker))
        hit = re.fullmatch(r"/channels/(\d+)/messages", p)
        if hit and m == "POST":
            self.rest_messages += 1
            return self._json(self._new_message(r.body or {}, hit.group(1), None))
        hit = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", p)
        if hit and m == "PATCH":
            with self._cond:
                known = self.messages.get(hit.group(2), {}).get("channel_id") == hit.group(1)
            if not known:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            return self._json(self._edit(hit.group(2), r.body or {}))
        hit = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", p)
        if hit and m == "PUT":
            out = []
            for cmd in r.body or []:
                out.append({**cmd, "id": snowflake(), "application_id": APP_ID, "version": snowflake(),
                            "guild_id": hit.group(2), "type": cmd.get("type", 1),
                            "default_member_permissions": None, "dm_permission": True, "nsfw": False})
            return self._json(out)
        if hit and m == "GET":
            return self._json([])
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    # ---- messages --------------------------------------------------------------------------------------------

    def delete_message(self, message_id: str) -> None:
        """Someone (a moderator) deletes a message: later edits of it get 404 Unknown Message."""
        with self._cond:
            self.messages.pop(message_id, None)

    def message(self, message_id: str) -> dict[str, Any]:
        with self._cond:
            return json.loads(json.dumps(self.messages[message_id]))

    def register(self, payload: dict[str, Any]) -> None:
        """Called by tests for every interaction they send: remember who and where, and which
        message a component interaction clicked."""
        u = (payload.get("member") or {}).get("user") or payload.get("user")
        info = {"user": u, "type": payload["type"], "id": payload["id"], "channel_id": payload.get("channel_id"),
                "guild_id": payload.get("guild_id")}
        with self._cond:
            self.invokers[payload["id"]] = info
            self._by_token[payload["token"]] = info
            if payload.get("message"):
                self.clicked[payload["id"]] = payload["message"]["id"]
                self._original[payload["token"]] = payload["message"]["id"]

    def _new_message(self, data: dict[str, Any], channel_id: str, invoker: dict[str, Any] | None,
                     metadata: dict[str, Any] | None = None) -> dict[str, Any]:
        mid = snowflake()
        message = {
            "id": mid, "channel_id": channel_id, "author": BOT_USER, "content": data.get("content") or "",
            "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": data.get("embeds") or [], "pinned": False, "type": 20 if metadata else 0,
            "flags": data.get("flags") or 0, "components": data.get("components") or [],
        }
        if invoker is not None:
            message["webhook_id"] = APP_ID
            message["application_id"] = APP_ID
            if invoker.get("guild_id"):
                message["guild_id"] = invoker["guild_id"]
        if metadata:
            message["interaction_metadata"] = metadata
        with self._cond:
            self.messages[mid] = message
        return message

    def _edit(self, mid: str, data: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            message = dict(self.messages[mid])
            if "content" in data:
                message["content"] = data["content"] or ""
            if "embeds" in data:
                message["embeds"] = data["embeds"] or []
            if "components" in data:
                message["components"] = data["components"] or []
            if data.get("flags") is not None:
                message["flags"] = (message.get("flags") or 0) | data["flags"]
            message["edited_timestamp"] = "2026-01-01T00:00:01.000000+00:00"
            self.messages[mid] = message
        return message

    def _interaction_callback(self, interaction_id: str, body: dict[str, Any]) -> web.Response:
        kind = body.get("type")
        data = body.get("data") or {}
        info = self.invokers.get(interaction_id, {})
        token = next((t for t, i in self._by_token.items() if i.get("id") == interaction_id), None)
        message = None
        if kind in (4, 5):  # new message (5: the "thinking" placeholder)
            # Who caused this message: the command's user, or for a click the clicker, with the
            # message they clicked (interacted_message_id), as Discord's MessageInteractionMetadata.
            metadata = {"id": interaction_id, "type": info.get("type", 2), "user": info.get("user"),
                        "authorizing_integration_owners": ({"0": info["guild_id"]} if info.get("guild_id")
                                                           else {"1": (info.get("user") or {}).get("id", "0")})}
            clicked = self.clicked.get(interaction_id)
            if clicked:
                metadata["interacted_message_id"] = clicked
            message = self._new_message(data if kind == 4 else {"flags": data.get("flags", 0)},
                                        info.get("channel_id") or CHANNEL_ID, info, metadata)
            if token:
                self._original[token] = message["id"]
        elif kind == 7:
            mid = self.clicked.get(interaction_id)
            if mid is None or mid not in self.messages:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            message = self._edit(mid, data)
        response: dict[str, Any] = {"interaction": {"id": interaction_id, "type": info.get("type", 2),
                                                    "response_message_loading": kind == 5,
                                                    "response_message_ephemeral": bool((data.get("flags") or 0) & 64)}}
        if message is not None:
            self.responded[interaction_id] = message["id"]
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind is not None:
            response["resource"] = {"type": kind}
        return self._json(response)

    # ---- gateway ---------------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress", "")
        self.compress_requested.append(compress)
        zctx = zlib.compressobj() if compress == "zlib-stream" else None

        async def send(payload: dict[str, Any]) -> None:
            raw = json.dumps(payload)
            if zctx is not None:
                await ws.send_bytes(zctx.compress(raw.encode()) + zctx.flush(zlib.Z_SYNC_FLUSH))
            else:
                await ws.send_str(raw)

        entry = (ws, send)
        await send({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT and msg.type != WSMsgType.BINARY:
                    break
                frame = json.loads(msg.data if msg.type == WSMsgType.TEXT else msg.data.decode())
                with self._cond:
                    self.gateway_log.append(frame)
                    self._cond.notify_all()
                op = frame.get("op")
                if op == 1:
                    await send({"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    shard = (frame.get("d") or {}).get("shard") or [0, 1]
                    await send({"op": 0, "t": "READY", "s": next(self._seq), "d": {
                        "v": 10, "user": BOT_USER, "guilds": [{"id": GUILD_ID, "unavailable": True}],
                        "session_id": "standin-session", "resume_gateway_url": self.gateway_url,
                        "shard": shard, "application": {"id": APP_ID, "flags": 0}, "private_channels": [],
                        "relationships": [], "presences": [], "user_settings": {}, "guild_join_requests": [],
                        "geo_ordered_rtc_regions": [], "auth": {}}})
                    await send({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild()})
                    self._sockets.append(entry)
                elif op == 6:
                    await send({"op": 0, "t": "RESUMED", "s": next(self._seq), "d": {}})
                    self._sockets.append(entry)
        finally:
            if entry in self._sockets:
                self._sockets.remove(entry)
        return ws

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Push a dispatch event (op 0) to every identified connection."""

        async def _send() -> int:
            for _, send in list(self._sockets):
                await send({"op": 0, "t": event, "s": next(self._seq), "d": data})
            return len(self._sockets)

        sent = asyncio.run_coroutine_threadsafe(_send(), self.loop).result(10)
        if not sent:
            raise AssertionError("no gateway connection to dispatch to")

    def connected(self) -> int:
        return len(self._sockets)


# ---- building interactions the way Discord sends them -----------------------------------------------------------

def _multipart(content_type: str, raw: bytes) -> tuple[Any, list[dict[str, Any]]]:
    """A multipart/form-data body as Discord reads it: `payload_json` and the `files[n]` parts."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    body: Any = {"multipart": True}
    files = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if name == "payload_json":
            body = json.loads(data)
        else:
            files.append({"name": name, "filename": part.get_filename(), "type": part.get_content_type(),
                          "data": data})
    return body, files


FIXTURES = __import__("pathlib").Path(__file__).resolve().parent.parent / "fixtures" / "discord"
ALICE = user("1500000000000000001", "alice")
BOB = user("1500000000000000002", "bob")


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def _fresh(payload: dict[str, Any], who: dict[str, Any]) -> dict[str, Any]:
    import secrets

    payload["id"] = snowflake()
    payload["token"] = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(24)
    if "member" in payload:
        payload["member"]["user"] = who
    else:
        payload["user"] = who
    return payload


def command(sub: str, options: dict[str, str] | None = None, who: dict[str, Any] = ALICE,
            focused: str | None = None) -> dict[str, Any]:
    """A /framework <sub> interaction (type 2), or an autocomplete one (type 4) if `focused` names an option."""
    payload = fixture("autocomplete_about.json" if focused else "command_help.json")
    payload["data"]["options"] = [{"name": sub, "type": 1, "options": [
        {"name": k, "type": 3, "value": v, **({"focused": True} if k == focused else {})}
        for k, v in (options or {}).items()]}]
    return _fresh(payload, who)


def walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every component, nested ones included (Components V2: containers, rows, section accessories)."""
    out: list[dict[str, Any]] = []
    for c in components or []:
        out.append(c)
        out += walk(c.get("components") or [])
        if c.get("accessory"):
            out += walk([c["accessory"]])
    return out


def flat_components(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactive components (buttons with a custom_id, selects) of a message, in order."""
    return [c for c in walk(message.get("components") or []) if c.get("type") in (2, 3) and c.get("custom_id")]


def texts(message: dict[str, Any]) -> str:
    """All the text a Components V2 message shows (its text displays), one per line."""
    return "\n".join(c["content"] for c in walk(message.get("components") or []) if c.get("type") == 10)


def is_result(message: dict[str, Any]) -> bool:
    return any(c["custom_id"].endswith(":nav:more") or c["custom_id"].endswith(":share")
               for c in flat_components(message)) or "recommended for your project" in texts(message)


def click(message: dict[str, Any], custom_id: str, who: dict[str, Any] = ALICE,
          values: list[str] | None = None) -> dict[str, Any]:
    """A component interaction (type 3) on `message`, which must hold a component with `custom_id`."""
    found = [c for c in flat_components(message) if c.get("custom_id") == custom_id]
    component_type = found[0]["type"] if found else 2
    payload = fixture("component_select.json" if component_type == 3 else "component_button.json")
    payload["message"] = json.loads(json.dumps(message))
    payload["data"] = {"custom_id": custom_id, "component_type": component_type}
    if component_type == 3:
        payload["data"]["values"] = list(values or [])
    return _fresh(payload, who)


class Driver:
    """Talks to a bot through the stand-in: sends interactions with `send` (in-process injection
    or gateway dispatch) and waits, with a deadline, for the recorded callback."""

    def __init__(self, standin: DiscordStandIn, send: Callable[[dict[str, Any]], None]) -> None:
        self.standin = standin
        self._send = send

    def send(self, payload: dict[str, Any], timeout: float = 10.0) -> Request:
        self.standin.register(payload)
        self._send(payload)
        return self.standin.callback(payload["id"], timeout)

    def command(self, sub: str, who: dict[str, Any] = ALICE, **options: str) -> tuple[Request, dict[str, Any]]:
        payload = command(sub, options, who)
        r = self.send(payload)
        return r, self.message_for(payload["id"])

    def click(self, message: dict[str, Any], custom_id: str, who: dict[str, Any] = ALICE,
              values: list[str] | None = None) -> tuple[Request, dict[str, Any]]:
        payload = click(message, custom_id, who, values)
        r = self.send(payload)
        return r, self.message_for(payload["id"])

    def answer_to_result(self, message: dict[str, Any], who: dict[str, Any] = ALICE,
                         steps: int = 30) -> dict[str, Any]:
        """Click the first answer of each question shown until a result comes (at most `steps`)."""
        for _ in range(steps):
            if is_result(message):
                break
            comp = [c for c in flat_components(message) if ":nav:" not in c["custom_id"]][0]
            values = [comp["options"][0]["value"]] if comp["type"] == 3 else None
            _, message = self.click(message, comp["custom_id"], who, values=values)
        return message

    def message_for(self, interaction_id: str) -> dict[str, Any]:
        with self.standin._cond:
            mid = self.standin.responded.get(interaction_id)
            return json.loads(json.dumps(self.standin.messages[mid])) if mid else {}


class InProcessBot:
    """The real client (build_client) on its own thread and loop, logged in against the stand-in;
    interactions are injected into discord.py's own parser with call_soon_threadsafe."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="discord-bot", daemon=True)
        self.client: Any = None

    def start(self) -> InProcessBot:
        from bot.adapters.discord.client import build_client

        self.thread.start()

        async def _login() -> Any:
            client = build_client(self.app)
            await client.login("fake-token")
            return client

        self.client = asyncio.run_coroutine_threadsafe(_login(), self.loop).result(15)
        return self

    def inject(self, payload: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self.client._connection.parse_interaction_create, payload)

    def call(self, coro: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        try:
            if self.client is not None:
                self.call(self.client.close())

            async def _drain() -> None:
                tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

            self.call(_drain())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
