"""Slack HTTP mode: our bot vs a bare Bolt AsyncApp that only acks, on the same server stack.

    .venv/bin/python bench/slack_http.py [--requests 3000] [--concurrency 50]

Three processes on 127.0.0.1: a counting stand-in for the Web API and response_url, the
server under test (ours, then the bare app), and this client. Both servers get the same
signed bodies:
- commands: `/framework` from a distinct user each time (ours starts a conversation in
  SQLite and posts the first question to response_url after the ack);
- clicks: block_actions `nav:skip` / `nav:back` alternating on pre-seeded conversations,
  one user per client worker, each click carrying the current version (so every click
  is applied: load, step, compare-and-set, render, post to response_url).
It prints req/s and p50/p99 latency of the HTTP answers (the ack) for each, the ratio,
and for ours also when the last response_url post arrived (the work behind the acks).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SECRET = "bench-signing-secret"
TEAM, CHANNEL = "T00000BENCH", "C00000BENCH"


# -- child processes ---------------------------------------------------------------------


def serve_standin(port: int) -> None:
    from aiohttp import web

    count = {"response": 0, "api": 0, "last": 0.0}

    async def api(request: web.Request) -> web.Response:
        await request.read()
        count["api"] += 1
        return web.json_response({"ok": True, "team_id": TEAM, "user_id": "UBOT", "bot_id": "BBOT", "ts": "1.1"})

    async def response(request: web.Request) -> web.Response:
        await request.read()
        count["response"] += 1
        count["last"] = time.time()
        return web.Response(text="ok")

    async def counts(request: web.Request) -> web.Response:
        return web.json_response(count)

    app = web.Application()
    app.router.add_post("/api/{m}", api)
    app.router.add_post("/response/{t}", response)
    app.router.add_get("/count", counts)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def serve(kind: str, port: int, api_url: str, data_dir: str) -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    from bot.adapters.slack.http import make_web_app

    if kind == "ours":
        from bot.adapters.slack.run import run_slack
        from bot.bootstrap import build
        from bot.settings import Settings

        settings = Settings(data_dir=Path(data_dir), slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                            slack_api_url=api_url, slack_mode="http", log_level="WARNING")
        app = build(settings)
        asyncio.run(run_slack(app, http=True, host="127.0.0.1", port=port))
        return
    import re

    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bare = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET)

    @bare.command("/framework")
    async def command(ack):  # noqa: ANN001
        await ack()

    @bare.action(re.compile(".*"))
    async def action(ack):  # noqa: ANN001
        await ack()

    web.run_app(make_web_app(bare), host="127.0.0.1", port=port, print=None, access_log=None)


# -- the client ----------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(data_dir: str, users: list[str]) -> dict[str, tuple[str, int]]:
    """Start one conversation per click user in the bot's SQLite store; return their refs."""
    from bot.bootstrap import build
    from bot.settings import Settings
    from bot.store.base import Scope

    app = build(Settings(data_dir=Path(data_dir)))
    refs = {}
    for user in users:
        out = app.advisor.start(Scope("slack", TEAM, CHANNEL, "", user), user, "")
        refs[user] = (out.session, out.version)
    app.close()
    return refs


def command_body(user: str, response_url: str) -> bytes:
    from support.slack_requests import command_body as build

    return build("", user=user, channel=CHANNEL, team=TEAM, response_url=response_url)


def click_body(user: str, nav: str, session: str, version: int, response_url: str) -> bytes:
    from support.slack_requests import actions_body

    tok = f"{session}:{version}"
    action = {"action_id": f"nav:{nav}", "block_id": f"nav|{tok}", "type": "button", "value": tok,
              "text": {"type": "plain_text", "text": nav}, "action_ts": f"{time.time():.6f}"}
    return actions_body(action, response_url=response_url, user=user, channel=CHANNEL, team=TEAM)


def workloads(requests: int, concurrency: int, standin: str, refs: dict[str, tuple[str, int]], tag: str):
    """Per worker: the signed bodies it sends in order. Same shapes for both servers."""
    from support.slack_requests import sign

    per = max(1, requests // concurrency)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    commands, clicks = [], []
    for w in range(concurrency):
        mine = []
        for k in range(per):
            body = command_body(f"U{tag}{w:03d}{k:05d}", f"{standin}/response/c{w}-{k}")
            mine.append((body, {**form, **sign(body, SECRET)}))
        commands.append(mine)
        user = f"UCLICK{w:04d}"
        session, version = refs[user]
        mine = []
        for k in range(per):
            nav = "skip" if k % 2 == 0 else "back"
            body = click_body(user, nav, session, version + k, f"{standin}/response/k{w}-{k}")
            mine.append((body, {**form, **sign(body, SECRET)}))
        clicks.append(mine)
    return commands, clicks


async def fire(url: str, per_worker: list[list[tuple[bytes, dict[str, str]]]]) -> dict[str, float]:
    import aiohttp

    latencies: list[float] = []
    failures = 0
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker(items: list[tuple[bytes, dict[str, str]]]) -> None:
            nonlocal failures
            for body, headers in items:
                began = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        failures += 1
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker(items) for items in per_worker))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "failures": failures,
            "elapsed": elapsed, "ended": time.time()}


async def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


async def standin_count(url: str) -> dict:
    import aiohttp

    async with aiohttp.ClientSession() as s, s.get(f"{url}/count") as r:
        return await r.json()


def spawn(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.pop("SLACK_CLIENT_ID", None)
    return subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=str(ROOT))


async def bench_server(kind: str, args: argparse.Namespace, standin: str, data_dir: str, tag: str,
                       refs: dict[str, tuple[str, int]]) -> dict[str, dict[str, float]]:
    port = free_port()
    proc = spawn("--serve", kind, "--port", str(port), "--api-url", f"{standin}/api/", "--data-dir", data_dir)
    try:
        await wait_port(port)
        url = f"http://127.0.0.1:{port}/slack/events"
        commands, clicks = workloads(args.requests, args.concurrency, standin, refs, tag)
        # warm-up: auth.test, imports, connection pools; on throwaway users
        warm, _ = workloads(args.concurrency * 4, args.concurrency, standin, refs, tag + "w")
        await fire(url, warm)
        before = (await standin_count(standin))["response"]
        out = {"commands": await fire(url, commands), "clicks": await fire(url, clicks)}
        if kind == "ours":
            expected = before + out["commands"]["n"] + out["clicks"]["n"]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                c = await standin_count(standin)
                if c["response"] >= expected:
                    break
                await asyncio.sleep(0.05)
            out["work"] = {"responses": c["response"] - before, "expected": expected - before,
                           "lag_ms": max(0.0, (c["last"] - out["clicks"]["ended"]) * 1000)}
        return out
    finally:
        proc.terminate()
        proc.wait(10)


async def main_async(args: argparse.Namespace) -> int:
    standin_port = free_port()
    standin = f"http://127.0.0.1:{standin_port}"
    stand = spawn("--standin", "--port", str(standin_port))
    try:
        await wait_port(standin_port)
        with tempfile.TemporaryDirectory() as tmp:
            users = [f"UCLICK{w:04d}" for w in range(args.concurrency)]
            results = {}
            for kind in ("bare", "ours"):
                data_dir = os.path.join(tmp, kind)
                refs = seed(data_dir, users)  # fresh conversations for each run
                results[kind] = await bench_server(kind, args, standin, data_dir, kind[0], refs)
    finally:
        stand.terminate()
        stand.wait(10)

    print(f"Slack HTTP mode, {args.requests} requests per kind, concurrency {args.concurrency}, "
          f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}")
    print(f"{'':10}{'server':6}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-200':>9}")
    for what in ("commands", "clicks"):
        for kind in ("bare", "ours"):
            r = results[kind][what]
            print(f"{what:10}{kind:6}{r['rps']:>10.0f}{r['p50']:>10.1f}{r['p99']:>10.1f}{r['failures']:>9}")
        ratio = results["ours"][what]["rps"] / results["bare"][what]["rps"]
        print(f"{what:10}ratio ours/bare throughput: {ratio:.0%}")
    w = results["ours"]["work"]
    print(f"ours: {w['responses']}/{w['expected']} response_url posts delivered; "
          f"last one {w['lag_ms']:.0f} ms after the last ack")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=3000)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--standin", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--serve", choices=("ours", "bare"), help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--api-url", help=argparse.SUPPRESS)
    p.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.standin:
        serve_standin(args.port)
        return 0
    if args.serve:
        serve(args.serve, args.port, args.api_url, args.data_dir)
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
