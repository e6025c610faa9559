"""Which question to ask next: only ones that can still change the pick, the most telling first.

Lookahead under the options' `likely` probabilities. The cost of a state after an answer
is 0 once the pick is settled, else the open questions that can still matter plus the
rivals still alive (a cheap estimate of the questions left). Each candidate question gets
its expected one-step cost; on knowledge small enough for it, the best two are compared
again two steps ahead (the second step over the INNER questions touching the most live
frameworks). bench/questions.py measures the result against the exact optimum.

Work per step is bounded: on a large knowledge only the questions touching the most
live frameworks are looked at, and only one step ahead. Choices are kept in one explicit,
bounded memo per knowledge (MEMO_SIZE states, least recently used dropped): the analysis
and the choice are pure functions of the answers, and the first questions recur in every
conversation. bench/engine.py measures with and without it.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from threading import Lock

from .model import Knowledge
from .settle import Analysis, analyse
from .verdicts import Tables

MEMO_SIZE = 4096  # states whose choice is remembered, per knowledge
WIDE = 8  # at most this many candidate questions get a lookahead
TWO_STEP_WORK = 80  # frameworks x open questions up to which the best two get a second step
SECOND = 2  # candidates compared two steps ahead
INNER = 3  # second step: the questions touching the most live frameworks


class Memo:
    """A bounded least-recently-used map: the only per-answers state the engine keeps.
    Adapters may step from several threads, so each access holds a lock."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size, self.data = size, OrderedDict()  # type: ignore[var-annotated]
        self.lock = Lock()

    def get(self, key: object) -> object:
        with self.lock:
            value = self.data.get(key, self)
            if value is not self:
                self.data.move_to_end(key)
            return value

    def put(self, key: object, value: object) -> None:
        with self.lock:
            self.data[key] = value
            if len(self.data) > self.size:
                self.data.popitem(last=False)


def memo(knowledge: Knowledge) -> Memo:
    found = knowledge.memo.get("asking")
    if found is None:
        found = knowledge.memo["asking"] = Memo()
    return found  # type: ignore[return-value]


def _cost(after: Analysis) -> float:
    return 0.0 if after.settled else len(after.relevant) + len(after.alive)


def _step(knowledge: Knowledge, t: Tables, open_qs: Sequence[int], now: Analysis,
          qi: int) -> tuple[float, list[tuple[float, Analysis, list[int]]]]:
    """Expected cost after asking qi, and each answer's (probability, analysis, open questions)."""
    rest = [q for q in open_qs if q != qi]
    cost, outs = 0.0, []
    for vi, p in enumerate(t.likely[qi], 1):
        after = analyse(knowledge, t, (), rest, now.verdicts.shift(t, qi, 0, vi), exact=False)
        cost += p * _cost(after)
        outs.append((p, after, rest))
    return cost, outs


def _candidates(t: Tables, now: Analysis, wide: int = WIDE) -> tuple[int, ...]:
    """The open questions that touch the most live frameworks (all of them if few)."""
    if len(now.relevant) <= wide:
        return now.relevant
    live = now.alive | {now.leader}
    return tuple(sorted(now.relevant, key=lambda qi: (-len(t.touches[qi] & live), qi))[:wide])


def choose(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int], now: Analysis) -> int | None:
    """The question index to ask, or None when the pick is settled."""
    if now.settled:
        return None
    if len(now.relevant) == 1:
        return now.relevant[0]
    if t.decides in now.relevant:
        # While the deciding question is open nothing is settled, and its answer often
        # ends the conversation at once: ask it first.
        return t.decides
    return _choose(knowledge, t, open_qs, now)


def plan(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int]) -> tuple[Analysis, int | None]:
    """The analysis of a state and the question to ask there (None: settled), through the memo."""
    key = (tuple(vals), tuple(open_qs))
    m = memo(knowledge)
    found = m.get(key)
    if found is m:
        now = analyse(knowledge, t, vals, open_qs)
        found = (now, choose(knowledge, t, vals, open_qs, now))
        m.put(key, found)
    return found  # type: ignore[return-value]


def _choose(knowledge: Knowledge, t: Tables, open_qs: Sequence[int], now: Analysis) -> int:
    # sorted() is stable: among equal costs, knowledge order decides
    ranked = sorted(((_step(knowledge, t, open_qs, now, qi), qi) for qi in _candidates(t, now)),
                    key=lambda item: item[0][0])
    if len(t.frameworks) * len(now.relevant) > TWO_STEP_WORK:
        return ranked[0][1]
    best, best_cost = ranked[0][1], float("inf")
    for (_, outs), qi in ranked[:SECOND]:
        cost = 0.0
        for p, after, rest in outs:
            if not after.settled:
                cost += p * (1 + min(_step(knowledge, t, rest, after, q2)[0] for q2 in _candidates(t, after, INNER)))
        if cost < best_cost - 1e-12:
            best, best_cost = qi, cost
    return best
