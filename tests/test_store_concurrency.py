"""Racing steps apply exactly once: threads on one store, and two processes on one SQLite
file or one Redis. Each successful save appends one mark to the session's answers, so the
final session must hold every successful step exactly once, in one serial order."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from bot.store.base import Scope, Session
from bot.engine.state import State

try:
    from store_support import make_session, make_store, redis_url, run_threads, store, store_url  # noqa: F401
except ImportError:
    from tests.store_support import make_session, make_store, redis_url, run_threads, store, store_url  # noqa: F401

KEY = Scope("slack", "T1", "C1", "", "U1").key()


def bumped(current: Session, mark: tuple[str, str]) -> Session:
    state = State(answers=current.state.answers + (mark,), pending=current.state.pending)
    return Session(current.id, current.version + 1, current.owner, state, current.created, time.time())


def check_serial(final: Session, successes: list[tuple[str, str]], per_worker: dict[str, int]) -> None:
    marks = list(final.state.answers)
    assert final.version == 1 + len(successes) == 1 + len(marks)
    assert sorted(marks) == sorted(successes)  # nothing lost, nothing applied twice
    for worker, n in per_worker.items():  # each worker's own steps in its own order
        assert [m for w, m in marks if w == worker] == [str(i) for i in range(n)]


def race_once(store, n_threads: int, current: Session, r: int) -> list[int]:  # noqa: ANN001
    """n_threads save a step on the same version at the same moment; the threads that won."""
    barrier = threading.Barrier(n_threads)
    wins: list[int] = []
    lock = threading.Lock()

    def race(i: int) -> None:
        candidate = bumped(current, (f"t{i}", str(r)))
        barrier.wait()
        if store.save(KEY, candidate, current.version):
            with lock:
                wins.append(i)

    run_threads(n_threads, race)
    return wins


def test_threads_racing_one_version_exactly_one_wins(store):
    store.save(KEY, make_session(1, answers=()), None)
    n_threads, rounds = 12, 15
    for r in range(rounds):
        current = store.load(KEY)
        wins = race_once(store, n_threads, current, r)
        assert len(wins) == 1, f"round {r}: {len(wins)} winners"
        final = store.load(KEY)
        assert final.version == current.version + 1
        assert final.state.answers[-1] == (f"t{wins[0]}", str(r))
    assert store.load(KEY).version == 1 + rounds


def test_threads_incrementing_with_retries_lose_nothing(store):
    store.save(KEY, make_session(1, answers=()), None)
    n_threads, steps = 8, 25
    successes: list[tuple[str, str]] = []
    conflicts = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(n_threads)

    def worker(i: int) -> None:
        barrier.wait()
        done = 0
        while done < steps:
            current = store.load(KEY)
            mark = (f"t{i}", str(done))
            if store.save(KEY, bumped(current, mark), current.version):
                with lock:
                    successes.append(mark)
                done += 1
            else:
                with lock:
                    conflicts[0] += 1

    run_threads(n_threads, worker)
    check_serial(store.load(KEY), successes, {f"t{i}": steps for i in range(n_threads)})


def test_threads_racing_to_create_one_wins(store):
    wins: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(10)

    def race(i: int) -> None:
        barrier.wait()
        if store.save(KEY, make_session(1, id=f"s{i}"), None):
            with lock:
                wins.append(i)

    run_threads(10, race)
    assert len(wins) == 1
    assert store.load(KEY).id == f"s{wins[0]}"


WORKER = textwrap.dedent("""
    import os, sys, time
    from bot.engine.state import State
    from bot.store.base import Session
    from bot.store.factory import open_store

    url, key, name, steps, go = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    store = open_store(url, 3600, "/nonexistent")
    deadline = time.time() + 30
    while not os.path.exists(go) and time.time() < deadline:  # start together
        time.sleep(0.001)
    done = conflicts = 0
    while done < steps:
        cur = store.load(key)
        state = State(answers=cur.state.answers + ((name, str(done)),), pending=cur.state.pending)
        new = Session(cur.id, cur.version + 1, cur.owner, state, cur.created, time.time())
        if store.save(key, new, cur.version):
            done += 1
        else:
            conflicts += 1
    store.close()
    print(conflicts)
""")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_processes_share_one_store_without_lost_updates(kind, tmp_path, request):
    from bot.store.factory import open_store

    url = store_url(kind, tmp_path, request.getfixturevalue("redis_url") if kind == "redis" else None)
    store = open_store(url, 3600, str(tmp_path))
    assert store.save(KEY, make_session(1, answers=()), None)
    steps = 150
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, KEY, name, str(steps), str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("p1", "p2")
    ]
    time.sleep(0.3)  # let both import and open the store
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    print(f"{kind}: CAS conflicts per process {[out.strip() for out, _ in outputs]}")
    final = store.load(KEY)
    successes = [(n, str(i)) for n in ("p1", "p2") for i in range(steps)]
    check_serial(final, successes, {"p1": steps, "p2": steps})
    store.close()
