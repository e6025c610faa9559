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
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

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
    "team_sweep",  # the Slack adapter's team-deadline loop (bot.adapters.slack.app), cancelled with it
)


async def drain(runner: web.AppRunner | None, adapter_tasks: set[asyncio.Task[Any]], baseline: set[asyncio.Task[Any]],
                began: float, stop_intake: Sequence[Callable[[], Awaitable[set[asyncio.Task[Any]]]]] = ()) -> None:
    """`adapter_tasks`: the adapters' own tasks; `baseline`: the tasks alive once every adapter
    was ready; `began`: when the stop started (time.monotonic), for the budget; `stop_intake`:
    the adapters' "stop taking new events" hooks (Discord closes its gateway, keeps HTTP; Slack
    Socket Mode stops reading envelopes, keeps the socket for acks), each returning the tasks
    of the events it took, which are waited for like any work."""
    # 1. No new work: close the HTTP listener (aiohttp lets running requests finish, up to
    #    HTTP_DRAIN) and stop reading the gateways (first), so that the snapshot below is complete:
    #    every interaction received by now has its task, and no new one can start.
    taken: set[asyncio.Task[Any]] = set()
    for stop in stop_intake:
        with contextlib.suppress(Exception):
            taken |= await asyncio.wait_for(stop(), 3.0)
    if runner is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner.cleanup(), HTTP_DRAIN + 1)
    # 2. Let accepted work finish while the adapters are still connected, since a Discord reply
    #    needs the client's HTTP session.
    work = [t for t in set(work_tasks(baseline)) | taken if t not in adapter_tasks and not t.done()]
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


async def finish_in_flight(work: set[asyncio.Task[Any]], timeout: float) -> None:
    """Wait (up to `timeout`) for `work`, the tasks of what was accepted (python -m bot
    discord's own drain)."""
    if work:
        _, pending = await asyncio.wait(work, timeout=timeout)
        log.info("finished %d request(s) in flight%s", len(work) - len(pending),
                 f"; {len(pending)} still running" if pending else "")


def work_tasks(baseline: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    """Tasks started since the adapters became ready (connection plumbing such as Socket Mode
    readers predates that), minus idle timers and ourselves."""
    current = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not current and not t.done() and not _idle(t)
            and not _plumbing(t) and t not in baseline]


def task_name(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return f"{task.get_name()} ({getattr(coro, '__qualname__', coro)})"


def _idle(task: asyncio.Task[Any]) -> bool:
    return _runs(task, IDLE_TASKS)


def _plumbing(task: asyncio.Task[Any]) -> bool:
    return _runs(task, PLUMBING_TASKS)


def _runs(task: asyncio.Task[Any], markers: tuple[str, ...]) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return any(marker in name for marker in markers)
