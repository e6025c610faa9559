"""What the hardening costs per request: the gate in front of Bolt (signature on the raw
bytes + parse + shape check), the replay claim in each store, and the SQLite readiness
probe (a real write). Median of `--repeat` runs of `--n` calls each, in microseconds.

    .venv/bin/python bench/hardening.py [--n N] [--repeat R]

Redis runs on a throwaway redis-server on a free loopback port when the binary exists.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bot.adapters.slack import gate  # noqa: E402
from bot.store.memory import MemoryStore  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402
from store import start_redis  # noqa: E402  (bench/store.py: a throwaway redis-server)
from support.slack_requests import fixture, sign  # noqa: E402

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def per_call(fn: Callable[[int], object], n: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        for i in range(n):
            fn(i)
        runs.append((time.perf_counter() - began) / n * 1e6)
    return statistics.median(runs)


def click_body() -> bytes:
    payload = fixture("block_actions_ephemeral")
    payload["actions"] = [{"action_id": "answer:style:api", "block_id": "answers|s1:3", "type": "button",
                           "value": "s1:3", "action_ts": "1700000000.000200", "text": {"type": "plain_text",
                                                                                     "text": "API"}}]
    return urlencode({"payload": json.dumps(payload)}).encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    n, repeat = args.n, args.repeat

    body = click_body()
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}
    verifier = gate.RawVerifier(SECRET)
    forged = {**headers, "X-Slack-Signature": "v0=" + "0" * 64}
    print(f"signed click body: {len(body)} bytes")
    t = per_call(lambda i: gate.admit(verifier, body, headers), n, repeat)
    print(f"gate.admit (signed click: HMAC + Bolt's one parse + shape)   {t:8.1f} us")

    def refuse(i: int) -> None:
        try:
            gate.admit(verifier, body, forged)
        except gate.Rejected:
            pass

    print(f"gate.admit (forged: refused after the HMAC)       {per_call(refuse, n, repeat):8.1f} us")

    tmp = Path(tempfile.mkdtemp(prefix="bench-hardening-"))
    stores: list[tuple[str, object]] = [("memory", MemoryStore()), ("sqlite", SqliteStore(tmp / "s.db"))]
    redis = start_redis()
    if redis is not None:
        from bot.store.redis import RedisStore

        stores.append(("redis", RedisStore(redis[0])))
    try:
        for name, store in stores:
            run = [0]

            def claim(i: int, store=store, run=run) -> None:  # noqa: ANN001
                store.claim(f"once:v0={run[0]}-{i:064d}", 600.0)  # type: ignore[attr-defined]

            def each(i: int, claim=claim, run=run) -> None:  # noqa: ANN001
                claim(i)

            us = []
            for r in range(repeat):
                run[0] = r
                us.append(per_call(each, n, 1))
            print(f"store.claim ({name:6}, replay check per request)     {statistics.median(us):8.1f} us")
        sqlite_store = stores[1][1]
        t = per_call(lambda i: sqlite_store.ping(), max(200, n // 10), repeat)  # type: ignore[attr-defined]
        print(f"SqliteStore.ping (readiness: upsert + 4 KB block) {t:8.1f} us")
    finally:
        for _, store in stores:
            store.close()  # type: ignore[attr-defined]
        if redis is not None:
            redis[1]()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
