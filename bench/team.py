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

* discord card: 50 members pressing Decide now at once, through discord.py against the
             REST and gateway stand-in, on one replica and on two replicas on one Redis: the
             time until the card shows all 50, and how many edits of the card it took.

* slack card: the same burst through two real Bolt apps over signed HTTP against the Web API
             stand-in (bench/team_slack.py): the time until a chat.update shows all 50, and the
             chat.update calls it took.

Redis runs on a throwaway redis-server on a free loopback port when the binary exists.

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
from bot.service.advisor import Advisor  # noqa: E402
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


def discord_card(knowledge, redis_url: str | None, members: int = 50, rounds: int = 3  # noqa: ANN001
                 ) -> list[tuple[float, int]]:
    """The Discord card after a burst: `members` press Decide now at the same moment, through
    discord.py against the REST and gateway stand-in (tests/support), on one replica with an
    in-memory store, or on two replicas on one Redis. Per round: the seconds until the card
    shows all of them, and the card edits it took (the coalescer's real pace: 0.5 s gather,
    at least 1 s between two edits of one card per replica)."""
    from support.discord_api import DiscordStandIn, Driver, InProcessBot
    from support.discord_team import card_burst

    from bot.bootstrap import build
    from bot.settings import Settings
    from bot.store.redis import RedisStore

    standin = DiscordStandIn().start()
    bots = []
    try:
        shared = MemoryStore()
        for _ in range(2 if redis_url else 1):
            store = RedisStore(redis_url) if redis_url else shared
            app = build(Settings(knowledge_dir=ROOT / "knowledge", discord_api_url=standin.api_url),
                        knowledge=knowledge, store=store)
            bots.append(InProcessBot(app).start())
        drivers = [Driver(standin, b.inject) for b in bots]
        out = []
        for r in range(rounds):
            _, card = drivers[0].command("team", description=f"bench round {r}")
            out.append(card_burst(standin, drivers, card, members, first_id=1700000000000000000 + 1000 * r))
        return out
    finally:
        for b in bots:
            b.stop()
        standin.stop()


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
        for label, url in (("1 replica, memory", None), ("2 replicas, one Redis", server.url if server else None)):
            if label.startswith("2") and url is None:
                continue
            rounds = discord_card(knowledge, url)
            shown = ", ".join(f"{took * 1000:.0f} ms / {edits} edit{'s' if edits != 1 else ''}"
                              for took, edits in rounds)
            print(f"discord card, 50 members finishing at once ({label}): all 50 shown after {shown}")
        import team_slack  # bench/team_slack.py: the Slack card, through Bolt over signed HTTP

        team_slack.main(server.url if server else None)
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
