"""Coalesce bursts of "this changed" into few edits of one message: platform-neutral, async.

A team card shows how many members answered. Fifty members finishing in the same second must
not be fifty edits: chat platforms rate-limit message edits (Slack's chat.update is Tier 3,
about 50 a minute per workspace; Discord allows about 5 edits per 5 s per channel). So the
adapters do not edit on every change; they `mark` the card, and the coalescer edits it:

    coalescer = Coalescer(edit, gather=0.5, interval=1.0)
    coalescer.mark(key)        # something on `key` changed: edit it soon (never blocks)
    await coalescer.drain()    # wait until every marked key is edited (shutdown, tests)
    await coalescer.close()    # drain, then refuse new marks

`edit(key)` is the adapter's coroutine: it reads the *current* state (from the store, not
from the mark) and edits the message. Hence marks need carry nothing but the key, and any
number of them while an edit is pending or running make exactly one more edit, which shows
everything up to its own read. The guarantees, per key (keys are independent):

- at most one edit in flight;
- the first edit starts `gather` seconds after the first mark, so a burst that arrives within
  that window is one edit;
- two edits start at least `interval` seconds apart (the edit rate stays at or below
  1/interval per message, whatever the burst);
- a mark that arrives while an edit runs is never lost: another edit follows;
- `edit` may return True to ask for one more round (say, its read was overtaken by another
  replica's write, and the message must not be left showing the older state);
- an edit that raises is logged in one line and not retried by itself (the next mark edits
  again); it never stops the coalescer or other keys.

Several replicas each run their own coalescer: each edits only for the changes it saw, and
an edit whose read was overtaken asks for another round (above), so the message converges on
the newest state. `clock`/`sleep` are injectable for tests.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger("bot.coalesce")

K = TypeVar("K", bound=Hashable)

GATHER = 0.5  # s: how long the first mark of a burst waits for the rest of it
INTERVAL = 1.0  # s: at least this long between the starts of two edits of one message


class Coalescer(Generic[K]):
    def __init__(self, edit: Callable[[K], Awaitable[bool | None]], *, gather: float = GATHER,
                 interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, name: str = "edit") -> None:
        self._edit = edit
        self.gather = gather
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._name = name
        self._dirty: set[K] = set()
        self._tasks: dict[K, asyncio.Task[None]] = {}
        self._last: dict[K, float] = {}  # when the last edit of each key started
        self._closed = False
        self.edits = 0  # edits started, for benchmarks and metrics

    def mark(self, key: K) -> None:
        """`key` changed: edit it once the burst is over. Call from the event loop's thread."""
        if self._closed:
            return
        self._dirty.add(key)
        if key not in self._tasks:
            task = asyncio.get_running_loop().create_task(self._run(key))
            self._tasks[key] = task
            task.add_done_callback(functools.partial(self._done, key))

    def pending(self, key: K) -> bool:
        """True while an edit of `key` is waiting or running."""
        return key in self._tasks

    async def drain(self) -> None:
        """Wait until every key marked so far (and marked while waiting) is edited."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Finish what was marked, then ignore new marks."""
        await self.drain()
        self._closed = True

    def _done(self, key: K, task: asyncio.Task[None]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if key in self._dirty and key not in self._tasks and not task.cancelled():
            self.mark(key)  # marked after the task's last look: edit again

    async def _run(self, key: K) -> None:
        await self._sleep(self.gather)
        while key in self._dirty:
            wait = self._last.get(key, float("-inf")) + self.interval - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self._dirty.discard(key)
            self._last[key] = self._clock()
            self.edits += 1
            try:
                again = await self._edit(key)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one line; the next mark edits again
                log.warning("%s of %r failed: %s: %s", self._name, key, type(exc).__name__, exc)
                again = False
            if again:
                self._dirty.add(key)
        self._forget_old()

    def _forget_old(self) -> None:
        """Drop the start times of keys idle for longer than `interval`: they no longer throttle."""
        now = self._clock()
        for key in [k for k, t in self._last.items() if now - t > self.interval and k not in self._tasks]:
            del self._last[key]
