"""Slack HTTP mode: our bot vs a bare Bolt AsyncApp that only acks, on the same server stack.

    .venv/bin/python bench/slack_http.py [--requests 3000] [--concurrency 50]

Four processes on 127.0.0.1: a counting stand-in for the Web API and response_url, the
two servers, and this client, which sends to them in alternating chunks so that other
load on the machine hits both alike. Both servers get the same
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
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def serve(kind: str, port: int, api_url: str, data_dir: str, store: str = "sqlite") -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    from bot.adapters.slack.http import make_web_app

    if kind == "ours":
        from bot.adapters.slack.run import run_slack
        from bot.bootstrap import build
        from bot.settings import Settings

        settings = Settings(data_dir=Path(data_dir), slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                            slack_api_url=api_url, slack_mode="http", log_level="WARNING")
        if store == "memory":  # the seeded conversations, copied out of the SQLite file
            from bot.store.base import Scope
            from bot.store.memory import MemoryStore

            seeded = build(settings)
            memory = MemoryStore(settings.session_ttl)
            for w in range(10_000):
                key = Scope("slack", TEAM, CHANNEL, "", f"UCLICK{w:04d}").key()
                session = seeded.store.load(key)
                if session is None:
                    break
                memory.save(key, session, None)
            seeded.close()
            app = build(settings, store=memory)
        else:
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

    web.run_app(make_web_app(bare, SECRET), host="127.0.0.1", port=port, print=None, access_log=None)


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
    inline = 0  # answers that carried the reply themselves (no response_url post follows)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker(items: list[tuple[bytes, dict[str, str]]]) -> None:
            nonlocal failures, inline
            for body, headers in items:
                began = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as resp:
                    if await resp.read():
                        inline += 1
                    if resp.status != 200:
                        failures += 1
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        await asyncio.gather(*(worker(items) for items in per_worker))
        elapsed = time.perf_counter() - began
    return {"n": len(latencies), "latencies": latencies, "failures": failures, "elapsed": elapsed, "inline": inline,
            "ended": time.time()}


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spy(pid: int, out: str, rate: int) -> subprocess.Popen:
    """py-spy (a dev tool: `pip install py-spy`) sampling a server's threads, collapsed stacks to `out`."""
    os.makedirs(os.path.dirname(out), exist_ok=True)
    exe = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen([str(exe) if exe.exists() else "py-spy", "record", "--pid", str(pid), "--format", "raw",
                             "--rate", str(rate), "--output", out, "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_spies(spies: list[subprocess.Popen]) -> None:
    import signal

    for s in spies:
        s.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    for s in spies:
        s.wait(30)


def chunks(per_worker: list[list], n: int) -> list[list[list]]:
    """Split every worker's sequence into n consecutive parts (order within a worker kept)."""
    size = max(1, len(per_worker[0]) // n)
    return [[items[i * size:(i + 1) * size] for items in per_worker] for i in range(n)]


async def main_async(args: argparse.Namespace) -> int:
    standin_port = free_port()
    standin = f"http://127.0.0.1:{standin_port}"
    procs = [spawn("--standin", "--port", str(standin_port))]
    tmp = tempfile.mkdtemp()
    try:
        await wait_port(standin_port)
        users = [f"UCLICK{w:04d}" for w in range(args.concurrency)]
        servers = {}
        for kind in ("bare", "ours"):
            data_dir = os.path.join(tmp, kind)
            refs = seed(data_dir, users)  # the same fresh conversations for each
            port = free_port()
            proc = spawn("--serve", kind, "--port", str(port), "--api-url", f"{standin}/api/", "--data-dir", data_dir,
                         "--store", args.store)
            procs.append(proc)
            servers[kind] = (proc, f"http://127.0.0.1:{port}/slack/events", refs, port)
        for kind, (_, url, refs, port) in servers.items():
            await wait_port(port)
            warm, _ = workloads(args.concurrency * 4, args.concurrency, standin, refs, kind[0] + "w")
            await fire(url, warm)  # auth.test, imports, connection pools
        await asyncio.sleep(0.5)
        spies = [spy(servers[k][0].pid, os.path.join(args.profile, f"{k}.txt"), args.profile_rate)
                 for k in servers] if args.profile else []
        stats = {(k, w): {"n": 0, "elapsed": 0.0, "lat": [], "fail": 0, "cpu": 0.0} for k in servers
                 for w in ("commands", "clicks")}
        loads = {k: dict(zip(("commands", "clicks"), workloads(args.requests, args.concurrency, standin,
                                                                   servers[k][2], k[0]), strict=True))
                 for k in servers}
        parts = {k: {w: chunks(v, args.rounds) for w, v in loads[k].items()} for k in servers}
        lag = 0.0
        for r in range(args.rounds):
            order = ("bare", "ours") if r % 2 == 0 else ("ours", "bare")
            for what in ("commands", "clicks"):
                for kind in order:
                    proc, url = servers[kind][0], servers[kind][1]
                    before_posts = (await standin_count(standin))["response"]
                    cpu0 = cpu_seconds(proc.pid)
                    out = await fire(url, parts[kind][what][r])
                    if kind == "ours":  # let the work behind the acks finish before the next chunk
                        deadline = time.monotonic() + 30
                        while time.monotonic() < deadline:
                            c = await standin_count(standin)
                            if c["response"] - before_posts >= out["n"] - out["inline"]:
                                break
                            await asyncio.sleep(0.01)
                        lag = max(lag, c["last"] - out["ended"])
                    st = stats[(kind, what)]
                    st["cpu"] += cpu_seconds(proc.pid) - cpu0
                    st["n"] += out["n"]
                    st["elapsed"] += out["elapsed"]
                    st["lat"] += out["latencies"]
                    st["fail"] += out["failures"]
                    st["inline"] = st.get("inline", 0) + out["inline"]
        stop_spies(spies)
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)

    print(f"Slack HTTP mode, {args.requests} requests per kind and server in {args.rounds} interleaved rounds, "
          f"concurrency {args.concurrency}, our store: {args.store}, {os.cpu_count()} CPUs, "
          f"python {sys.version.split()[0]}")
    print(f"{'':10}{'server':6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'non-200':>9}")
    for what in ("commands", "clicks"):
        rps = {}
        for kind in ("bare", "ours"):
            st = stats[(kind, what)]
            lat = sorted(st["lat"])
            rps[kind] = st["n"] / st["elapsed"]
            p50 = statistics.median(lat) * 1000
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
            print(f"{what:10}{kind:6}{rps[kind]:>9.0f}{p50:>9.1f}{p99:>9.1f}{st['cpu'] / st['n'] * 1000:>12.2f}"
                  f"{st['fail']:>9}")
        print(f"{what:10}ratio ours/bare throughput: {rps['ours'] / rps['bare']:.0%}"
              f"  (ours answered {stats[('ours', what)]['inline']} of {stats[('ours', what)]['n']} in the ack itself)")
    print(f"ours: every other reply delivered to response_url; the last one at most {max(lag, 0) * 1000:.0f} ms "
          "after the last ack of its chunk")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=3000)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--rounds", type=int, default=6, help="interleaved chunks per server (evens out noise)")
    p.add_argument("--standin", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--serve", choices=("ours", "bare"), help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--api-url", help=argparse.SUPPRESS)
    p.add_argument("--data-dir", help=argparse.SUPPRESS)
    p.add_argument("--store", choices=("sqlite", "memory"), default="sqlite",
                   help="our bot's session store: sqlite (the default in production) or memory")
    p.add_argument("--profile", metavar="DIR", help="sample both servers with py-spy during the measured rounds; "
                   "writes DIR/ours.txt and DIR/bare.txt (collapsed stacks, e.g. for flamegraph tools)")
    p.add_argument("--profile-rate", type=int, default=200, help="py-spy samples per second (with --profile)")
    args = p.parse_args()
    if args.standin:
        serve_standin(args.port)
        return 0
    if args.serve:
        serve(args.serve, args.port, args.api_url, args.data_dir, args.store)
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
