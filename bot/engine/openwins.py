"""While questions that could change the pick are open ("decide now"): under how many of
their possible answers each framework would be the pick.

Every combination of one option per open question that can still matter counts once (a
count of answers, not a probability: nothing says which answer a team will give). The
counts come from the same rule as the pick, by a walk that adds each question's table row
to the verdicts so far; an answer to the deciding question that names a framework picks
it for every answer to the rest.
"""
from __future__ import annotations

from collections.abc import Sequence

from .verdicts import Tables, Verdicts

LIMIT = 100_000  # combinations counted at most; beyond, no counts are given


def open_wins(t: Tables, v: Verdicts, relevant: Sequence[int]) -> tuple[int, tuple[tuple[int, int], ...]]:
    """(how many combinations, ((framework index, combinations it wins), ...) most first),
    or (0, ()) with nothing open or more than LIMIT combinations. `v`: the verdicts with
    every question in `relevant` unanswered."""
    sizes = [len(t.values[qi]) - 1 for qi in relevant]
    total = 1
    for n in sizes:
        total *= n
    if not relevant or total > LIMIT:
        return 0, ()
    wins = [0] * len(t.frameworks)
    order = sorted(relevant, key=lambda qi: qi != t.decides)  # the deciding question first
    _walk(t, v, order, 0, total, wins)
    ranked = sorted(((f, n) for f, n in enumerate(wins) if n), key=lambda item: (-item[1], item[0]))
    return total, tuple(ranked)


def _walk(t: Tables, v: Verdicts, order: list[int], depth: int, total: int, wins: list[int]) -> None:
    if depth == len(order):
        wins[v.pick()] += 1
        return
    qi = order[depth]
    rest = total // (len(t.values[qi]) - 1)  # combinations of the questions after this one
    for vi in range(1, len(t.values[qi])):
        named = t.named[vi] if qi == t.decides else None
        if named is not None:
            wins[named] += rest
        else:
            _walk(t, v.shift(t, qi, 0, vi), order, depth + 1, rest, wins)
