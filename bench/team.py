"""Team decisions: the cost of recording one member's answers and of re-aggregating, with 5, 50
and 500 members, on each store; and a burst of 50 members finishing at once on two replicas.

* record:    Advisor.record_answers for a member answering again (load the record, decode
             every member, replace one, encode, compare-and-set save), what a member's last
             click costs the service beyond their own conversation step;
* aggregate: Advisor.team_status (load + the engine's team result: combine, recommend, the
             splits that would change the pick, every member's own pick), what a card update
             or Close and decide costs;
* engine:    bot.engine.teamresult.team_result alone, no store;
* burst:     50 members recording at the same moment, 25 threads on each of two Advisors with
             their own store connection (SQLite: one file; Redis: one server), until all are
             counted; with the compare-and-set retries it took.

Redis runs on a throwaway redis-server on a free loopback port when the binary exists.
The Slack and Discord card-edit timing is the adapters' part (not measured here).

    .venv/bin/python bench/team.py [--repeat R]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bot.engine.teamresult import team_result  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.service import Advisor  # noqa: E402
from bot.service import team as team_service  # noqa: E402
from bot.store.base import Scope  # noqa: E402
from bot.store import team as team_codec  # noqa: E402
from bot.store.memory import MemoryStore  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402

CLICK = Scope("slack", "T024BE7LH", "C061EG9SL")
SIZES = (5, 50, 500)


def answers(knowledge, rng: random.Random) -> tuple[tuple[str, str | None], ...]:  # noqa: ANN001
    return tuple((q.id, rng.choice(q.options).id if rng.random() < 0.85 else None) for q in knowledge.questions)


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.3f} ms (p90 {sorted(samples)[int(len(samples) * 0.9)] * 1000:.3f})"


def measure(advisor: Advisor, knowledge, size: int, repeat: int) -> tuple[list[float], list[float], int]:  # noqa: ANN001
    rng = random.Random(size)
    team = advisor.start_team(CLICK, "U0").team
    for i in range(size):
        assert advisor.record_answers(CLICK, team.id, f"U{i}", answers(knowledge, rng), f"s{i}:1").changed
    record, aggregate = [], []
    for n in range(repeat):
        given = answers(knowledge, rng)
        began = time.perf_counter()
        done = advisor.record_answers(CLICK, team.id, f"U{n % size}", given, f"again{n}")
        record.append(time.perf_counter() - began)
        assert done.changed
        began = time.perf_counter()
        status = advisor.team_status(CLICK, team.id)
        aggregate.append(time.perf_counter() - began)
        assert len(status.result.members) == size
    return record, aggregate, len(team_codec.encode(advisor.team_status(CLICK, team.id).team))


def burst(advisors: list[Advisor], knowledge, members: int = 50) -> tuple[float, int]:  # noqa: ANN001
    """Seconds until all `members` are counted, and the compare-and-set attempts that lost."""
    team = advisors[0].start_team(CLICK, "U0").team
    rng = random.Random(7)
    given = [answers(knowledge, rng) for _ in range(members)]
    barrier = threading.Barrier(members + 1)
    lost = [0]
    original = team_service._backoff

    def counting(attempt: int) -> None:
        lost[0] += 1
        original(attempt)

    team_service._backoff = counting

    def one(i: int) -> None:
        barrier.wait()
        assert advisors[i % 2].record_answers(CLICK, team.id, f"B{i}", given[i], f"b{i}:1").changed

    threads = [threading.Thread(target=one, args=(i,)) for i in range(members)]
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    took = time.perf_counter() - began
    team_service._backoff = original
    assert len(advisors[1].team_status(CLICK, team.id).team.members) == members
    return took, lost[0]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=200)
    args = p.parse_args(argv)
    knowledge = load_knowledge(ROOT / "knowledge")
    stores: list[tuple[str, object, object]] = []
    tmp = tempfile.mkdtemp(prefix="bench-team-")
    stores.append(("memory", (shared := MemoryStore()), shared))
    stores.append(("sqlite", SqliteStore(f"{tmp}/s.db"), SqliteStore(f"{tmp}/s.db")))
    server = None
    try:
        from redis_server import start_redis

        from bot.store.redis import RedisStore

        server = start_redis()
        stores.append(("redis", RedisStore(server.url), RedisStore(server.url)))
    except (ImportError, FileNotFoundError, RuntimeError) as exc:
        print(f"redis: skipped ({exc})")
    try:
        print("engine only (team_result):")
        for size in SIZES:
            rng = random.Random(size)
            members = {f"m{i}": dict(answers(knowledge, rng)) for i in range(size)}
            samples = []
            for _ in range(max(5, args.repeat // 10)):
                began = time.perf_counter()
                team_result(knowledge, members)
                samples.append(time.perf_counter() - began)
            print(f"  {size:4} members  {ms(samples)}")
        for name, first, second in stores:
            advisors = [Advisor(lambda: knowledge, s) for s in (first, second)]  # type: ignore[arg-type]
            print(f"{name}:")
            for size in SIZES:
                repeat = args.repeat if size < 500 else max(20, args.repeat // 5)
                record, aggregate, size_bytes = measure(advisors[0], knowledge, size, repeat)
                print(f"  {size:4} members  record {ms(record)}   aggregate {ms(aggregate)}   "
                      f"record JSON {size_bytes} B")
            took, lost = burst(advisors, knowledge)
            print(f"  burst: 50 members at once on 2 replicas: all counted after {took * 1000:.1f} ms, "
                  f"{lost} compare-and-set retries")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
