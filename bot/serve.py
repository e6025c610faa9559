"""`python -m bot serve`: every configured adapter plus health and metrics, in one asyncio process.

    Slack     SLACK_BOT_TOKEN set: Socket Mode (SLACK_APP_TOKEN) or HTTP mode (SLACK_SIGNING_SECRET),
              in HTTP mode POST /slack/events is served by the same HTTP server as health/metrics
    Discord   DISCORD_TOKEN set
    HTTP      ADVISOR_HTTP_HOST:ADVISOR_HTTP_PORT: /healthz, /readyz, /metrics (bot.ops.health)

An adapter whose token is missing is skipped with a log line; with none configured the
process still serves health and metrics. A token that is set but rejected stops the start
with a message that names the variable (exit 2). Token values never reach the log: every
configured secret is masked by bot.ops.logging.RedactingFilter.

Signals:
    SIGTERM/SIGINT  readiness turns 503, the HTTP listener closes (requests already running
                    finish), adapters disconnect, in-flight steps finish, the store is closed;
                    exit 0 within SHUTDOWN_BUDGET seconds
    SIGHUP          reload the knowledge folder; invalid files are logged as file:line problems
                    and the old knowledge stays in force

Exit codes: 0 clean stop, 1 an adapter failed while running, 2 bad configuration or knowledge,
a rejected token, or the HTTP port cannot be bound.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from bot.ops import logging as redaction
from bot.ops.health import Health
from bot.ops.metrics import PrometheusObserver, fingerprint
from bot.settings import Settings, SettingsError

log = logging.getLogger("bot.serve")

SHUTDOWN_BUDGET = 8.0  # seconds from SIGTERM to exit; the issue asks for 10
HTTP_DRAIN = 4.0  # of which: for HTTP requests already running
READY_LOG_AFTER = 30.0  # warn if an adapter is still not ready after this long

# Slack API errors that mean "this token is wrong", as opposed to a network or Slack problem.
SLACK_TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                      "not_allowed_token_type", "invalid_token"}


class StartupError(Exception):
    """The process cannot start. The message is safe to log (names variables, not values)."""


@dataclass
class Adapter:
    name: str
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    run: Callable[[], Awaitable[None]] | None = None  # None: nothing to run (e.g. Slack HTTP, mounted)
    task: asyncio.Task[None] | None = None


def main(settings: Settings) -> int:
    redaction.install(settings.secret_values())
    try:
        return asyncio.run(Server(settings).run())
    except StartupError as exc:
        log.error("cannot start: %s", exc)
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


class Server:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.observer = PrometheusObserver()
        self.app = None  # bot.bootstrap.App, built in run()
        self.health: Health | None = None
        self.adapters: list[Adapter] = []
        self.runner: web.AppRunner | None = None
        self.stop = asyncio.Event()
        self.signal_name = ""
        self._reloading = asyncio.Lock()
        self._knowledge_id: dict[str, object] = {}
        self.bolt = None  # the Slack Bolt app, when Slack is configured
        self._baseline: set[asyncio.Task] = set()  # tasks alive once every adapter was ready

    # ------------------------------------------------------------------ lifecycle
    async def run(self) -> int:
        self.app = self._build()
        try:
            return await self._run()
        finally:
            await self._close_store()

    async def _run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._request_stop, sig)
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(self.reload_knowledge()))

        self.adapters = await self._plan_adapters()
        self.health = Health(self.app.store.ping, self.observer, {a.name: a.ready for a in self.adapters},
                             lambda: dict(self._knowledge_id))
        await self._open_slack_session()
        await self._start_http()
        for adapter in self.adapters:
            if adapter.run is not None:
                adapter.task = asyncio.create_task(self._supervise(adapter), name=f"adapter-{adapter.name}")
        watch = asyncio.create_task(self._watch_readiness())
        failed: BaseException | None = None
        try:
            failed = await self._wait()
        finally:
            watch.cancel()
        if isinstance(failed, StartupError):
            await self._shutdown()
            raise failed
        if failed is not None:
            log.error("stopping: %s", failed)
        await self._shutdown()
        return 1 if failed is not None else 0

    async def _wait(self) -> BaseException | None:
        """Until a stop signal (None) or an adapter fails (its exception)."""
        stop = asyncio.create_task(self.stop.wait())
        tasks = {a.task for a in self.adapters if a.task is not None}
        try:
            while True:
                done, _ = await asyncio.wait(tasks | {stop}, return_when=asyncio.FIRST_COMPLETED)
                if stop in done:
                    return None
                for task in done:
                    tasks.discard(task)
                    exc = task.exception() if not task.cancelled() else None
                    if exc is not None:
                        return exc
                    log.warning("%s adapter stopped by itself; still serving the others",
                                task.get_name().removeprefix("adapter-"))
        finally:
            stop.cancel()

    def _work_tasks(self) -> list[asyncio.Task]:
        """Tasks started since the adapters became ready (connection plumbing such as Socket Mode
        readers predates that), minus idle timers and ourselves."""
        current = asyncio.current_task()
        return [t for t in asyncio.all_tasks() if t is not current and not t.done() and not _idle(t)
                and not _plumbing(t) and t not in self._baseline]

    def _request_stop(self, sig: signal.Signals) -> None:
        if self.stop.is_set():
            log.info("%s received again; already stopping", sig.name)
            return
        self.signal_name = sig.name
        log.info("%s received: stopping (no new work; finishing what is in flight)", sig.name)
        if self.health is not None:
            self.health.stopping = True
        self.stop.set()

    async def _shutdown(self) -> None:
        began = time.monotonic()
        if self.health is not None:
            self.health.stopping = True
        # 1. No new HTTP work: close the listener; aiohttp lets running requests finish (up to HTTP_DRAIN).
        if self.runner is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.runner.cleanup(), HTTP_DRAIN + 1)
        # 2. Work accepted so far runs as tasks (Bolt acks first and works after; Discord dispatches
        #    each interaction as a task). Let it finish while the adapters are still connected, since
        #    a Discord reply needs the client's HTTP session.
        runners = {a.task for a in self.adapters if a.task is not None}
        work = [t for t in self._work_tasks() if t not in runners]
        if work:
            _, pending = await asyncio.wait(work, timeout=HTTP_DRAIN)
            log.info("finished %d request(s) in flight%s", len(work) - len(pending),
                     f"; {len(pending)} still running" if pending else "")
            if pending:
                log.debug("still running: %s", ", ".join(_task_name(t) for t in pending))
        # 3. Disconnect the adapters (Socket Mode, Discord gateway).
        tasks = [t for t in runners if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            left = max(0.5, SHUTDOWN_BUDGET - 1.5 - (time.monotonic() - began))
            _, pending = await asyncio.wait(tasks, timeout=left)
            for task in pending:
                log.warning("%s did not stop in time; leaving it", task.get_name())
        # 4. Anything still running (started during the drain, or an adapter's last handler) gets the
        #    rest of the budget; then wait for the worker threads that run the steps, and only then
        #    close the store.
        current = asyncio.current_task()
        background = [t for t in asyncio.all_tasks() if t is not current and not t.done() and not _idle(t)]
        if background:
            left = max(0.5, SHUTDOWN_BUDGET - 1.0 - (time.monotonic() - began))
            _, pending = await asyncio.wait(background, timeout=left)
            if pending:
                log.warning("%d task(s) still running at the shutdown deadline; cancelling them: %s", len(pending),
                            ", ".join(_task_name(t) for t in pending))
                for task in pending:
                    task.cancel()
        left = max(0.2, SHUTDOWN_BUDGET - 0.5 - (time.monotonic() - began))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.get_running_loop().shutdown_default_executor(), left)
        await self._close_slack_session()
        if self.health is not None:
            self.health.close()
        log.info("stopped in %.1f s", time.monotonic() - began)

    async def _open_slack_session(self) -> None:
        if self.bolt is None:
            return
        from bot.adapters.slack import app as slack_app

        opener = getattr(slack_app, "open_http_session", None)
        if opener is not None:
            await opener(self.bolt)

    async def _close_slack_session(self) -> None:
        """The Slack adapter shares one aiohttp session between its Web API and response_url calls."""
        if self.bolt is None:
            return
        from bot.adapters.slack import app as slack_app

        close = getattr(slack_app, "close_http_session", None)
        if close is not None:
            with contextlib.suppress(Exception):
                await close(self.bolt)

    async def _close_store(self) -> None:
        if self.app is None:
            return
        try:
            self.app.close()
            log.info("session store closed")
        except Exception as exc:  # noqa: BLE001 - closing must not turn a clean stop into a crash
            log.warning("closing the session store failed: %s", exc)

    # ------------------------------------------------------------------ composition
    def _build(self):  # noqa: ANN202 - bot.bootstrap.App
        from bot.bootstrap import build
        from bot.knowledge.loader import KnowledgeError

        try:
            app = build(self.settings, observer=self.observer)
        except KnowledgeError as exc:
            raise StartupError(f"the knowledge in {self.settings.knowledge_dir} is invalid:\n{exc}") from None
        except (ValueError, OSError) as exc:  # store URL (named, password redacted by the factory), disk
            raise StartupError(f"cannot open the session store: {exc}") from None
        self._knowledge_loaded(app.knowledge())
        log.info("knowledge: %s (%s)", self.settings.knowledge_dir, _describe(self._knowledge_id))
        log.info("session store: %r", app.store)
        return app

    def _knowledge_loaded(self, knowledge) -> None:  # noqa: ANN001 - bot.engine.model.Knowledge
        try:
            fp = fingerprint(self.settings.knowledge_dir)
        except OSError:
            fp = "unknown"
        frameworks = [f.id for f in knowledge.frameworks]
        self._knowledge_id = {"fingerprint": fp, "frameworks": len(frameworks), "questions": len(knowledge.questions)}
        self.observer.set_knowledge(fp, frameworks, len(knowledge.questions))

    async def reload_knowledge(self) -> bool:
        """SIGHUP: load the knowledge folder again; keep the old knowledge if it is invalid."""
        from bot.knowledge.loader import KnowledgeError

        assert self.app is not None
        async with self._reloading:
            log.info("SIGHUP received: reloading knowledge from %s", self.settings.knowledge_dir)
            try:
                knowledge = await asyncio.to_thread(self.app.knowledge.reload)
            except KnowledgeError as exc:
                self.observer.knowledge_reloads.labels("error").inc()
                log.error("knowledge reload rejected; still serving the previous knowledge (%s). Problems:\n%s",
                          _describe(self._knowledge_id), exc)
                return False
            except Exception as exc:  # noqa: BLE001 - e.g. the folder vanished: same outcome
                self.observer.knowledge_reloads.labels("error").inc()
                log.error("knowledge reload failed (%s: %s); still serving the previous knowledge (%s)",
                          type(exc).__name__, exc, _describe(self._knowledge_id))
                return False
            self._knowledge_loaded(knowledge)
            self.observer.knowledge_reloads.labels("ok").inc()
            log.info("knowledge reloaded: %s", _describe(self._knowledge_id))
            return True

    # ------------------------------------------------------------------ adapters
    async def _plan_adapters(self) -> list[Adapter]:
        s = self.settings
        adapters: list[Adapter] = []
        if s.slack_configured:
            await self._check_slack_token()
            adapters.append(self._slack_adapter())
        else:
            extra = " (SLACK_APP_TOKEN/SLACK_SIGNING_SECRET are set but unused without it)" \
                if s.slack_app_token or s.slack_signing_secret else ""
            log.info("Slack: skipped, SLACK_BOT_TOKEN is not set%s", extra)
        if s.discord_configured:
            adapters.append(self._discord_adapter())
        else:
            log.info("Discord: skipped, DISCORD_TOKEN is not set")
        if not adapters:
            log.warning("no adapter is configured (set SLACK_BOT_TOKEN and/or DISCORD_TOKEN); "
                        "serving health and metrics only")
        return adapters

    async def _check_slack_token(self) -> None:
        """auth.test before anything else, so a wrong SLACK_BOT_TOKEN fails the start clearly."""
        from slack_sdk.errors import SlackApiError

        from bot.adapters.slack.app import web_client

        client = web_client(self.settings.slack_bot_token, self.settings.slack_api_url)
        try:
            response = await client.auth_test()
        except SlackApiError as exc:
            error = _slack_error(exc)
            if error in SLACK_TOKEN_ERRORS or exc.response.status_code in (401, 403):
                raise StartupError(f"SLACK_BOT_TOKEN was rejected by Slack ({error})") from None
            raise StartupError(f"Slack auth.test failed for SLACK_BOT_TOKEN ({error})") from None
        except Exception as exc:  # noqa: BLE001 - network: say what we tried, not the token
            raise StartupError(f"cannot reach the Slack API to check SLACK_BOT_TOKEN "
                               f"({type(exc).__name__}: {exc})") from None
        finally:
            if client.session is not None:
                with contextlib.suppress(Exception):
                    await client.session.close()
        log.info("Slack: SLACK_BOT_TOKEN accepted (bot user %s in team %s), %s mode",
                 response.get("user_id"), response.get("team_id"), self.settings.slack_mode)
        if self.settings.slack_mode == "socket":
            await self._check_slack_app_token()

    async def _check_slack_app_token(self) -> None:
        """slack_sdk's Socket Mode client retries a rejected app token forever; ask once first
        (apps.connections.open only issues a one-time websocket URL, which is left unused)."""
        from slack_sdk.errors import SlackApiError

        from bot.adapters.slack.app import web_client

        client = web_client("", self.settings.slack_api_url)
        try:
            await client.apps_connections_open(app_token=self.settings.slack_app_token)
        except SlackApiError as exc:
            error = _slack_error(exc)
            if error in SLACK_TOKEN_ERRORS or exc.response.status_code in (401, 403):
                raise StartupError(f"SLACK_APP_TOKEN was rejected by Slack ({error}); it must be an app-level "
                                   "token with the connections:write scope") from None
            raise StartupError(f"Slack apps.connections.open failed for SLACK_APP_TOKEN ({error}); "
                               "is Socket Mode enabled for the app?") from None
        except Exception as exc:  # noqa: BLE001
            raise StartupError(f"cannot reach the Slack API to check SLACK_APP_TOKEN "
                               f"({type(exc).__name__}: {exc})") from None
        finally:
            if client.session is not None:
                with contextlib.suppress(Exception):
                    await client.session.close()
        log.info("Slack: SLACK_APP_TOKEN accepted for Socket Mode")

    def _slack_adapter(self) -> Adapter:
        from bot.adapters.slack.app import build_bolt_app

        s = self.settings
        adapter = Adapter("slack")
        http = s.slack_mode == "http"
        self.bolt = build_bolt_app(self.app, token=s.slack_bot_token,
                                   signing_secret=s.slack_signing_secret if http else "",
                                   api_url=s.slack_api_url)
        if http:
            adapter.ready.set()  # the route is mounted on our own server, and the token was accepted
            return adapter
        from bot.adapters.slack.socket import run_socket_mode

        async def socket_mode() -> None:
            try:
                await run_socket_mode(self.bolt, s.slack_app_token, ready=adapter.ready)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                raise _slack_startup_error(exc, adapter.ready.is_set()) from None

        adapter.run = socket_mode
        return adapter

    def _discord_adapter(self) -> Adapter:
        from bot.adapters.discord.run import run_discord

        adapter = Adapter("discord")

        async def discord() -> None:
            try:
                await run_discord(self.app, self.settings.discord_token, adapter.ready)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                raise _discord_startup_error(exc, adapter.ready.is_set()) from None

        adapter.run = discord
        return adapter

    async def _supervise(self, adapter: Adapter) -> None:
        assert adapter.run is not None
        log.info("%s: starting", adapter.name.capitalize())
        await adapter.run()

    async def _watch_readiness(self) -> None:
        waiting = {a.name: a.ready for a in self.adapters}
        began = time.monotonic()
        warned = False
        while waiting:
            for name, event in list(waiting.items()):
                if event.is_set():
                    log.info("%s: ready", name.capitalize())
                    del waiting[name]
            if waiting and not warned and time.monotonic() - began > READY_LOG_AFTER:
                log.warning("still waiting for %s to become ready (/readyz answers 503 until then)",
                            ", ".join(sorted(waiting)))
                warned = True
            await asyncio.sleep(0.1)
        self._baseline = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        if self.adapters:
            log.info("ready: every configured adapter is connected")

    # ------------------------------------------------------------------ HTTP
    async def _start_http(self) -> None:
        assert self.health is not None
        web_app = web.Application()
        web_app.add_routes(self.health.routes())
        paths = ["/healthz", "/readyz", "/metrics"]
        if self.settings.slack_configured and self.settings.slack_mode == "http":
            web_app.router.add_post("/slack/events", self._slack_http_handler())
            paths.append("/slack/events")
        self.runner = web.AppRunner(web_app, handle_signals=False, access_log=None, shutdown_timeout=HTTP_DRAIN)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.http_host, self.settings.http_port,
                           shutdown_timeout=HTTP_DRAIN)
        try:
            await site.start()
        except OSError as exc:
            await self.runner.cleanup()
            self.runner = None
            raise StartupError(f"cannot listen on {self.settings.http_host}:{self.settings.http_port} "
                               f"(ADVISOR_HTTP_HOST/ADVISOR_HTTP_PORT): {exc.strerror or exc}") from None
        log.info("listening on http://%s:%d (%s)", self.settings.http_host, self.settings.http_port,
                 ", ".join(paths))

    def _slack_http_handler(self):  # noqa: ANN202 - an aiohttp handler
        from bot.adapters.slack.http import events_handler

        return events_handler(self.bolt)


# ---------------------------------------------------------------------- error mapping
def _slack_error(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    try:
        return str(response.get("error") or "error")  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001
        return type(exc).__name__


def _slack_startup_error(exc: Exception, was_ready: bool) -> Exception:
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, SlackApiError):
        error = _slack_error(exc)
        if error in SLACK_TOKEN_ERRORS:
            variable = "SLACK_APP_TOKEN" if "apps.connections" in str(exc) else "SLACK_BOT_TOKEN"
            return StartupError(f"{variable} was rejected by Slack ({error})")
    if not was_ready:
        return StartupError(f"the Slack adapter failed to start ({type(exc).__name__}: {exc})")
    return RuntimeError(f"the Slack adapter stopped ({type(exc).__name__}: {exc})")


def _discord_startup_error(exc: Exception, was_ready: bool) -> Exception:
    import discord

    if isinstance(exc, SettingsError):
        return StartupError(str(exc))
    if isinstance(exc, discord.LoginFailure):
        return StartupError("DISCORD_TOKEN was rejected by Discord (LoginFailure: improper token)")
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return StartupError("Discord refused a privileged intent the bot asked for; see docs/discord.md")
    if not was_ready:
        return StartupError(f"the Discord adapter failed to start ({type(exc).__name__}: {exc})")
    return RuntimeError(f"the Discord adapter stopped ({type(exc).__name__}: {exc})")


# Tasks that are not requests in flight: timers, and connection plumbing that lives as long as the
# connection (closed when the adapter is cancelled). Matched against the coroutine's __qualname__.
IDLE_TASKS = ("__timeout_task_impl",)  # discord.ui.View timeouts (one per message with components)
PLUMBING_TASKS = (
    "SocketModeClient.",  # slack_sdk Socket Mode: receive_messages, monitor_current_session, process_messages
    "Shard.worker",  # discord.py AutoShardedClient: one gateway worker per shard
)


def _idle(task: asyncio.Task) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return any(marker in name for marker in IDLE_TASKS)


def _plumbing(task: asyncio.Task) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return any(marker in name for marker in PLUMBING_TASKS)


def _task_name(task: asyncio.Task) -> str:
    coro = task.get_coro()
    return f"{task.get_name()} ({getattr(coro, '__qualname__', coro)})"


def _describe(info: dict[str, object]) -> str:
    return (f"fingerprint {info.get('fingerprint', '?')}, {info.get('frameworks', '?')} frameworks, "
            f"{info.get('questions', '?')} questions")
