"""The lifecycle of `serve`: build, start the adapters and the HTTP server, wait, drain, close.

The store is closed last, after every step that could still write to it has finished.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, TYPE_CHECKING

from aiohttp import web

from bot.ops.health import Health
from bot.ops.metrics import PrometheusObserver
from bot.ops.shutdown import drain
from bot.settings import Settings
from bot.startup import StartupError

from . import signals
from .adapters import Adapter, close_slack_session, open_slack_session, plan_adapters, supervise, watch_readiness
from .http_server import start_http
from .knowledge import KnowledgeState

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.bootstrap import App

log = logging.getLogger("bot.serve")


class Server:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.observer = PrometheusObserver()
        self.knowledge = KnowledgeState(settings.knowledge_dir, self.observer)
        self.app: App | None = None  # built in run(), inside the event loop
        self.health: Health | None = None
        self.adapters: list[Adapter] = []
        self.bolt: AsyncApp | None = None  # the Slack Bolt app, when Slack is configured
        self.runner: web.AppRunner | None = None
        self.stop = signals.StopRequest(self._stopping)
        self._baseline: set[asyncio.Task[Any]] = set()  # tasks alive once every adapter was ready

    async def run(self) -> int:
        self.app = self._build()
        try:
            return await self._run()
        finally:
            self._close_store()

    async def reload_knowledge(self) -> bool:
        """SIGHUP: load the knowledge folder again; keep the old knowledge if it is invalid."""
        assert self.app is not None
        return await self.knowledge.reload(self.app)

    async def _run(self) -> int:
        assert self.app is not None
        signals.install(self.stop, self.reload_knowledge)
        plan = await plan_adapters(self.settings, self.app)
        self.adapters, self.bolt = plan.adapters, plan.bolt
        self.health = Health(self.app.store.ping, self.observer, {a.name: a.ready for a in self.adapters},
                             lambda: dict(self.knowledge.info))
        await open_slack_session(self.bolt)
        self.runner = await start_http(self.settings, self.health, self.bolt)
        for adapter in self.adapters:
            if adapter.run is not None:
                adapter.task = asyncio.create_task(supervise(adapter), name=f"adapter-{adapter.name}")
        watch = asyncio.create_task(watch_readiness(self.adapters))
        failed: BaseException | None = None
        try:
            failed = await self._wait()
        finally:
            watch.cancel()
        if watch.done() and not watch.cancelled():
            self._baseline = watch.result()
        if isinstance(failed, StartupError):
            await self._shutdown()
            raise failed
        if failed is not None:
            log.error("stopping: %s", failed)
        await self._shutdown()
        return 1 if failed is not None else 0

    async def _wait(self) -> BaseException | None:
        """Until a stop signal (None) or an adapter fails (its exception)."""
        stop = asyncio.create_task(self.stop.event.wait())
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

    def _stopping(self) -> None:
        if self.health is not None:
            self.health.stopping = True

    async def _shutdown(self) -> None:
        began = time.monotonic()
        self._stopping()
        await drain(self.runner, {a.task for a in self.adapters if a.task is not None}, self._baseline, began,
                    [a.stop_intake for a in self.adapters if a.stop_intake is not None])
        await close_slack_session(self.bolt)
        if self.health is not None:
            self.health.close()
        log.info("stopped in %.1f s", time.monotonic() - began)

    def _build(self) -> App:
        from bot.startup import build_app

        app = build_app(self.settings, observer=self.observer)
        self.knowledge.loaded(app.knowledge())
        log.info("knowledge: %s (%s)", self.settings.knowledge_dir, self.knowledge.describe())
        log.info("session store: %r", app.store)
        return app

    def _close_store(self) -> None:
        if self.app is None:
            return
        try:
            self.app.close()
            log.info("session store closed")
        except Exception as exc:  # noqa: BLE001 - closing must not turn a clean stop into a crash
            log.warning("closing the session store failed: %s", exc)
