"""Health, readiness and metrics endpoints for `serve`, as aiohttp routes.

    GET /healthz  200 while the process runs (liveness; also used by the container HEALTHCHECK)
    GET /readyz   200 only when the session store answers a ping and every configured adapter
                  is ready; 503 otherwise, and 503 as soon as shutdown begins (so a load
                  balancer drains the replica)
    GET /metrics  Prometheus text format from the app's own registry

Bodies are small JSON objects so an operator can `curl` them; only status codes matter to
orchestrators.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.ops.metrics import PrometheusObserver

PING_TIMEOUT = 2.0


@dataclass
class Health:
    """Live state that the endpoints report. `adapters` maps each configured adapter to
    an asyncio.Event the adapter sets once it is connected."""

    ping: Callable[[], bool]
    observer: PrometheusObserver
    adapters: dict[str, asyncio.Event] = field(default_factory=dict)
    knowledge: Callable[[], dict[str, object]] = dict
    started: float = field(default_factory=time.time)
    stopping: bool = False

    _executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-ping"), repr=False)
    _pending: asyncio.Future[Any] | None = field(default=None, repr=False)

    async def store_ok(self) -> bool:
        """Ping the store in its own thread. While a ping hangs (a stuck Redis), later probes
        wait on that same ping instead of piling up threads next to the conversation steps."""
        if self._pending is None or self._pending.done():
            self._pending = asyncio.get_running_loop().run_in_executor(self._executor, self.ping)
        try:
            ok = bool(await asyncio.wait_for(asyncio.shield(self._pending), PING_TIMEOUT))
        except Exception:  # noqa: BLE001 - a failing or slow ping is simply "not ready"
            ok = False
        self.observer.store_up.set(1 if ok else 0)
        return ok

    async def readiness(self) -> tuple[bool, dict[str, object]]:
        store = await self.store_ok()
        adapters = {name: event.is_set() for name, event in self.adapters.items()}
        for name, ready in adapters.items():
            self.observer.adapter_ready.labels(name).set(1 if ready else 0)
        ready = store and all(adapters.values()) and not self.stopping
        return ready, {
            "status": "ready" if ready else ("stopping" if self.stopping else "not ready"),
            "store": store,
            "adapters": adapters,
            "knowledge": self.knowledge(),
        }

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- handlers
    async def healthz(self, request: web.Request) -> web.Response:
        body = {"status": "stopping" if self.stopping else "ok", "uptime": round(time.time() - self.started, 1)}
        return _json(body, 200)

    async def readyz(self, request: web.Request) -> web.Response:
        ready, body = await self.readiness()
        return _json(body, 200 if ready else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        await self.readiness()  # refresh the store/adapter gauges at scrape time
        payload, content_type = self.observer.exposition()
        response = web.Response(body=payload)
        response.headers["Content-Type"] = content_type
        return response

    def routes(self) -> list[web.RouteDef]:
        return [web.get("/healthz", self.healthz), web.get("/readyz", self.readyz), web.get("/metrics", self.metrics)]


def _json(body: Mapping[str, object], status: int) -> web.Response:
    return web.Response(text=json.dumps(body) + "\n", status=status, content_type="application/json")
