"""Which question to ask next: only ones that can still change the pick, the most telling first.

One-step lookahead: for each question that can still matter, the expected number of
questions that can still matter after its answer (0 once the pick is settled), under the
options' `likely` probabilities. bench/questions.py measures it against the optimum.
"""
from __future__ import annotations

from collections.abc import Sequence

from .model import Knowledge
from .settle import Analysis, analyse
from .verdicts import Tables


def choose(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int], now: Analysis) -> int | None:
    """The question index to ask, or None when the pick is settled."""
    if now.settled:
        return None
    if len(now.relevant) == 1:
        return now.relevant[0]
    best, best_cost = None, float("inf")
    for qi in now.relevant:
        rest = [q for q in open_qs if q != qi]
        trial = list(vals)
        cost = 0.0
        for vi, p in enumerate(t.likely[qi], 1):
            trial[qi] = vi
            after = analyse(knowledge, t, trial, rest)
            cost += p * len(after.relevant)
            if cost >= best_cost:
                break
        if cost < best_cost:
            best, best_cost = qi, cost
    return best
