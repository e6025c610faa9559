"""The drain on SIGTERM: stop taking work, finish what is in flight, disconnect, within a budget.

Work accepted so far runs as asyncio tasks (Bolt acks first and works after; Discord dispatches
each interaction as a task), so "in flight" means the tasks that are neither the adapters'
connection plumbing nor idle timers.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import web

log = logging.getLogger("bot.serve")

SHUTDOWN_BUDGET = 8.0  # seconds from SIGTERM to exit; the issue asks for 10
HTTP_DRAIN = 4.0  # of which: for HTTP requests already running

# Tasks that are not requests in flight: timers, and connection plumbing that lives as long as the
# connection (closed when the adapter is cancelled). Matched against the coroutine's __qualname__.
IDLE_TASKS = ("__timeout_task_impl",)  # discord.ui.View timeouts (one per message with components)
PLUMBING_TASKS = (
    "SocketModeClient.",  # slack_sdk Socket Mode: receive_messages, monitor_current_session, process_messages
    "Shard.worker",  # discord.py AutoShardedClient: one gateway worker per shard
)


async def drain(runner: web.AppRunner | None, adapter_tasks: set[asyncio.Task], baseline: set[asyncio.Task],
                began: float) -> None:
    """`adapter_tasks`: the adapters' own tasks; `baseline`: the tasks alive once every adapter
    was ready; `began`: when the stop started (time.monotonic), for the budget."""
    # 1. No new HTTP work: close the listener; aiohttp lets running requests finish (up to HTTP_DRAIN).
    if runner is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner.cleanup(), HTTP_DRAIN + 1)
    # 2. Let accepted work finish while the adapters are still connected, since a Discord reply
    #    needs the client's HTTP session.
    work = [t for t in work_tasks(baseline) if t not in adapter_tasks]
    if work:
        _, pending = await asyncio.wait(work, timeout=HTTP_DRAIN)
        log.info("finished %d request(s) in flight%s", len(work) - len(pending),
                 f"; {len(pending)} still running" if pending else "")
        if pending:
            log.debug("still running: %s", ", ".join(task_name(t) for t in pending))
    # 3. Disconnect the adapters (Socket Mode, Discord gateway).
    tasks = [t for t in adapter_tasks if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        left = max(0.5, SHUTDOWN_BUDGET - 1.5 - (time.monotonic() - began))
        _, pending = await asyncio.wait(tasks, timeout=left)
        for task in pending:
            log.warning("%s did not stop in time; leaving it", task.get_name())
    # 4. Anything still running (started during the drain, or an adapter's last handler) gets the
    #    rest of the budget; then wait for the worker threads that run the steps, so that the
    #    store is closed only after them.
    current = asyncio.current_task()
    background = [t for t in asyncio.all_tasks() if t is not current and not t.done() and not _idle(t)]
    if background:
        left = max(0.5, SHUTDOWN_BUDGET - 1.0 - (time.monotonic() - began))
        _, pending = await asyncio.wait(background, timeout=left)
        if pending:
            log.warning("%d task(s) still running at the shutdown deadline; cancelling them: %s", len(pending),
                        ", ".join(task_name(t) for t in pending))
            for task in pending:
                task.cancel()
    left = max(0.2, SHUTDOWN_BUDGET - 0.5 - (time.monotonic() - began))
    with contextlib.suppress(Exception):
        await asyncio.wait_for(asyncio.get_running_loop().shutdown_default_executor(), left)


def work_tasks(baseline: set[asyncio.Task]) -> list[asyncio.Task]:
    """Tasks started since the adapters became ready (connection plumbing such as Socket Mode
    readers predates that), minus idle timers and ourselves."""
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not current and not t.done() and not _idle(t)
            and not _plumbing(t) and t not in baseline]


def task_name(task: asyncio.Task) -> str:
    coro = task.get_coro()
    return f"{task.get_name()} ({getattr(coro, '__qualname__', coro)})"


def _idle(task: asyncio.Task) -> bool:
    return _runs(task, IDLE_TASKS)


def _plumbing(task: asyncio.Task) -> bool:
    return _runs(task, PLUMBING_TASKS)


def _runs(task: asyncio.Task, markers: tuple[str, ...]) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return any(marker in name for marker in markers)
