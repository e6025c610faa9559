"""Session-store throughput: steps per second for each store, beside the raw operations.

A "step" is what bot.service.advisor.Advisor does to the store for one click: load the session,
build the next version, compare-and-set save it. The raw baselines do the same read and
write with no layer on top:

* raw sqlite3: same file schema and pragmas, one connection,
  BEGIN IMMEDIATE; SELECT data, version ...; UPDATE ... SET data, version, expires; COMMIT
  with a pre-encoded payload of the same size that changes every step (no codec);
* raw redis-py: GET + SET ... PX with the same pre-encoded payloads.

The ratio ours/raw is the overhead of our layer, measured in one run (target: >= 70%).
Redis runs on a throwaway redis-server on a free loopback port when the binary exists.

    .venv/bin/python bench/store.py [--steps N] [--repeat R]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.engine.state import State  # noqa: E402
from bot.store import codec  # noqa: E402
from bot.store.base import Scope, Session  # noqa: E402
from bot.store.memory import MemoryStore  # noqa: E402
from bot.store.sqlite import BUSY_TIMEOUT_MS, SCHEMA, SqliteStore  # noqa: E402

KEY = Scope("slack", "T024BE7LH", "C061EG9SL", "", "U024BE7LH").key()
TTL = 86400.0


def realistic_session(version: int = 1) -> Session:
    """A conversation five answers in, one from the free text; about 300 bytes of JSON."""
    answers = (("experience", "none"), ("style", "api"), ("control", "some"), ("orm", "sqlalchemy"),
               ("performance", "high"))
    state = State(answers=answers, from_text=(("experience", "greenfield"),), pending="realtime")
    return Session("Xy3_k9Qa", version, "U024BE7LH", state, 1700000000.0, 1700000100.0, None)


# -- steps -------------------------------------------------------------------------------

def store_step(store) -> Callable[[], None]:
    """load + next version + CAS save, as the Advisor does (the engine itself left out)."""
    store.delete(KEY)
    assert store.save(KEY, realistic_session(1), None)
    clock = time.time

    def step() -> None:
        cur = store.load(KEY)
        new = Session(cur.id, cur.version + 1, cur.owner, cur.state, cur.created, clock(), cur.recommended)
        if not store.save(KEY, new, cur.version):
            raise AssertionError("CAS failed with no competitor")

    return step


def raw_sqlite_step(path: str) -> tuple[Callable[[], None], Callable[[], None]]:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    payloads = [codec.encode(realistic_session(v)) for v in range(1, 1001)]  # encoded outside the timing
    payload = payloads[0]
    db.execute("DELETE FROM sessions")
    db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (KEY, "Xy3_k9Qa", 1, "U024BE7LH", 0, None, time.time() + TTL, payload))
    clock = time.time

    def step() -> None:
        db.execute("BEGIN IMMEDIATE")
        data, version = db.execute("SELECT data, version FROM sessions WHERE key = ? AND expires > ?",
                                   (KEY, clock())).fetchone()
        db.execute("UPDATE sessions SET data = ?, version = ?, expires = ? WHERE key = ?",
                   (payloads[version % 1000], version + 1, clock() + TTL, KEY))
        db.execute("COMMIT")

    return step, db.close


def raw_redis_step(url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    import redis

    client = redis.Redis.from_url(url)
    payloads = [codec.encode(realistic_session(v)).encode() for v in range(1, 1001)]
    key = "raw:" + KEY
    client.set(key, payloads[0])
    ttl_ms = int(TTL * 1000)
    n = [0]

    def step() -> None:
        client.get(key)
        n[0] += 1
        client.set(key, payloads[n[0] % 1000], px=ttl_ms)

    return step, client.close


# -- timing ------------------------------------------------------------------------------

def timed(step: Callable[[], None], n: int) -> float:
    began = time.perf_counter()
    for _ in range(n):
        step()
    return time.perf_counter() - began


def best_interleaved(ours: Callable[[], None], raw: Callable[[], None] | None, steps: int,
                     repeat: int, chunk: int = 250) -> tuple[float, float | None]:
    """Steps/s of each, timed in alternating chunks of `chunk` steps so that noise from
    other processes hits both alike; each side's rate is its fastest chunk, as timeit does
    (`repeat` x `steps` steps in all per side)."""
    for _ in range(200):  # warm caches, statement caches, connections, the script cache
        ours()
        if raw is not None:
            raw()
    best_ours = best_raw = float("inf")
    for _ in range(max(1, repeat * steps // chunk)):
        best_ours = min(best_ours, timed(ours, chunk))
        if raw is not None:
            best_raw = min(best_raw, timed(raw, chunk))
    return chunk / best_ours, (chunk / best_raw if raw is not None else None)


def codec_cost() -> tuple[float, float]:
    s = realistic_session(3)
    raw = codec.encode(s)
    enc = min(timed(lambda: codec.encode(s), 1000) for _ in range(5)) / 1000 * 1e6
    dec = min(timed(lambda: codec.decode(raw), 1000) for _ in range(5)) / 1000 * 1e6
    return enc, dec


# -- redis-server ------------------------------------------------------------------------

def start_redis() -> tuple[str, Callable[[], None]] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="advisor-bench-redis-")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop() -> None:
        proc.terminate()
        proc.wait(5)
        shutil.rmtree(workdir, ignore_errors=True)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}/0", stop
        except OSError:
            time.sleep(0.02)
    stop()
    return None


# -- main --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=5000, help="steps per timed run (default 5000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per row; the best counts (default 3)")
    ap.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", ""),
                    help="use this Redis instead of starting a redis-server")
    args = ap.parse_args(argv)

    rows: list[tuple[str, float, float | None]] = []
    tmp = tempfile.mkdtemp(prefix="advisor-bench-")
    try:
        mem = MemoryStore(ttl=TTL)
        rows.append(("memory", *best_interleaved(store_step(mem), None, args.steps, args.repeat)))

        store = SqliteStore(os.path.join(tmp, "ours.db"), ttl=TTL)
        raw, close_raw = raw_sqlite_step(os.path.join(tmp, "raw.db"))
        rows.append(("sqlite", *best_interleaved(store_step(store), raw, args.steps, args.repeat)))
        store.close()
        close_raw()

        server = None
        url = args.redis
        if not url:
            server = start_redis()
            url = server[0] if server else ""
        if url:
            from bot.store.redis import RedisStore

            try:
                rstore = RedisStore(url, ttl=TTL, prefix="bench:")
                raw, close_raw = raw_redis_step(url)
                rows.append(("redis", *best_interleaved(store_step(rstore), raw, args.steps, args.repeat)))
                rstore.delete(KEY)
                rstore.close()
                close_raw()
            finally:
                if server:
                    server[1]()
        else:
            rows.append(("redis", float("nan"), None))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"Session store throughput: one step = load + CAS save of a {len(codec.encode(realistic_session()))}-byte "
          f"session; {args.repeat} x {args.steps} steps per row in alternating "
          f"chunks of 250 (ours, raw, ours, ...), fastest chunk counts; one thread")
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    print()
    header = f"{'store':<8} {'ours steps/s':>13} {'raw steps/s':>12} {'ours/raw':>9}  raw baseline"
    print(header)
    print("-" * (len(header) + 36))
    baselines = {"memory": "-", "sqlite": "plain sqlite3: BEGIN IMMEDIATE, SELECT, UPDATE, COMMIT",
                 "redis": "plain redis-py: GET + SET PX"}
    worst = None
    for name, ours, raw in rows:
        if ours != ours:  # nan
            print(f"{name:<8} {'skipped: no redis-server on PATH (or pass --redis URL)':>40}")
            continue
        ratio = "" if raw is None else f"{ours / raw:>8.0%}"
        raw_s = "" if raw is None else f"{raw:>12,.0f}"
        print(f"{name:<8} {ours:>13,.0f} {raw_s:>12} {ratio:>9}  {baselines[name]}")
        if raw is not None:
            worst = min(worst if worst is not None else 1e9, ours / raw)
    enc, dec = codec_cost()
    print()
    via = "orjson"
    print(f"of which the codec (bot.store.codec, JSON via {via}): encode {enc:.1f} us per save, "
          f"decode {dec:.1f} us per load (loads skip decoding when the stored text is the one this process last saw)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    if worst is not None:
        print(f"target: ours >= 70% of raw -> {'met' if worst >= 0.7 else 'NOT met'} (worst {worst:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
