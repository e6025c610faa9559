"""SIGTERM/SIGINT request a stop; SIGHUP reloads the knowledge.

Handlers go on the event loop (not signal.signal) so they run between tasks, where they may
touch asyncio objects safely.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

log = logging.getLogger("bot.serve")


class StopRequest:
    """Set once by the first SIGTERM/SIGINT; `on_stop` runs then (readiness turns 503 at once,
    before the drain starts). A second signal only logs: the drain is already bounded."""

    def __init__(self, on_stop: Callable[[], None]) -> None:
        self.event = asyncio.Event()
        self.signal_name = ""
        self._on_stop = on_stop

    def __call__(self, sig: signal.Signals) -> None:
        if self.event.is_set():
            log.info("%s received again; already stopping", sig.name)
            return
        self.signal_name = sig.name
        log.info("%s received: stopping (no new work; finishing what is in flight)", sig.name)
        self._on_stop()
        self.event.set()


def install(stop: StopRequest, reload: Callable[[], Awaitable[object]]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig)
    loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload()))
