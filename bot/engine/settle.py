"""The exact stop: is the pick settled, and which open questions can still change it?

A question not asked, or answered "not sure", has no answer. The leader L (the pick for
the answers so far) is settled iff no completion of the open questions (each: any
option, or no answer) changes the pick. L stops being the pick iff some rival R comes
before it in the rule's order, so it is enough to ask, per rival, "can R beat L on
some completion?".

Every point depends on one question, and effects add up. R comes before L iff
(hard mismatches of R - of L, score of L - of R) is below (0, 0) in lexicographic order,
or equal to it with R first in share order. That order is total and translation
invariant, so the completion best for R is each open question's best value for R, and
their sum decides. One pass over the open questions that touch R or L: linear in the
knowledge. Values of the deciding question that name a framework are left out: they
decide outright, and every framework they name stays alive while it is open.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Knowledge
from .verdicts import EPS, Tables, Verdicts, evaluate

# Per question, for a pair (R, L): index, and the best (hard difference, score difference) for R.
Item = tuple[int, int, float]


@dataclass(frozen=True)
class Pairs:
    """Per ordered pair (R, L): the questions that can move them apart (see Item)."""

    items: dict[tuple[int, int], tuple[Item, ...]]


@dataclass(frozen=True)
class Analysis:
    leader: int
    alive: frozenset[int]  # frameworks that can still beat the leader on some completion
    relevant: tuple[int, ...]  # open questions touching a framework that may still be the pick
    verdicts: Verdicts

    @property
    def settled(self) -> bool:
        return not self.alive


def pairs(knowledge: Knowledge, t: Tables) -> Pairs:
    cached = knowledge.memo.get("pairs")
    if cached is None:
        cached = knowledge.memo["pairs"] = _compile(t)
    return cached  # type: ignore[return-value]


def _compile(t: Tables) -> Pairs:
    n = len(t.frameworks)
    items: dict[tuple[int, int], list[Item]] = {}
    for qi in range(len(t.qids)):
        ok = [v for v in range(len(t.values[qi])) if qi != t.decides or t.named[v] is None]
        f0, w0, h0 = t.fit[qi][0], t.warn[qi][0], t.hard[qi][0]
        for r in range(n):
            for lead in range(n):
                if r == lead or not (t.touches[qi] & {r, lead}):
                    continue
                best: tuple[int, float] | None = None
                for v in ok:
                    f, w, h = t.fit[qi][v], t.warn[qi][v], t.hard[qi][v]
                    dh = (h[r] - h0[r]) - (h[lead] - h0[lead])
                    ds = ((f[r] - f0[r]) - (w[r] - w0[r])) - ((f[lead] - f0[lead]) - (w[lead] - w0[lead]))
                    if best is None or dh < best[0] or (dh == best[0] and ds > best[1] + EPS):
                        best = (dh, ds)
                if best is not None and (best[0] != 0 or abs(best[1]) > EPS):
                    items.setdefault((r, lead), []).append((qi, best[0], best[1]))
    return Pairs({key: tuple(v) for key, v in items.items()})


def can_beat(p: Pairs, v: Verdicts, open_mask: int, r: int, lead: int) -> bool:
    """Whether rival r comes before the leader `lead` on some completion of the open questions
    (`open_mask`: bit qi set for each open question)."""
    dh = v.hard[r] - v.hard[lead]
    ds = (v.fit[r] - v.warn[r]) - (v.fit[lead] - v.warn[lead])
    for qi, bh, bs in p.items.get((r, lead), ()):
        if open_mask >> qi & 1:
            dh += bh
            ds += bs
    return dh < 0 or (dh == 0 and (ds > EPS or (ds > -EPS and r < lead)))


def analyse(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int],
            v: Verdicts | None = None, exact: bool = True) -> Analysis:
    """The leader for these values (0: no answer), and what the open questions can still do.
    `v`: the verdicts for `vals`, when the caller has them already. `exact=False` (the
    lookahead's estimates) takes the questions touching the leader and its live rivals as
    relevant, without asking which rivals could beat every other framework."""
    if v is None:
        v = evaluate(t, vals)
    leader = v.pick()
    if v.decided is not None:
        return Analysis(leader, frozenset(), (), v)
    p = pairs(knowledge, t)
    open_mask = 0
    for qi in open_qs:
        open_mask |= 1 << qi
    alive: set[int] = set()
    named: set[int] = set()
    if t.decides is not None and open_mask >> t.decides & 1:
        named = {f for f in t.named if f is not None}
        alive |= named - {leader}
    n = len(t.frameworks)
    for r in range(n):
        if r != leader and r not in alive and can_beat(p, v, open_mask, r, leader):
            alive.add(r)
    if not alive:
        return Analysis(leader, frozenset(), (), v)
    # The questions that matter are those touching a framework that could still be the pick:
    # one that can beat every other on some completion (not only the leader). Answers only
    # shrink that set, so the questions left only shrink too.
    if not exact:
        return Analysis(leader, frozenset(alive), tuple(qi for qi in open_qs if t.touches[qi] & (alive | {leader})), v)
    live = {leader} | {f for f in alive if f in named
                       or all(can_beat(p, v, open_mask, f, g) for g in range(n) if g != f)}
    relevant = tuple(qi for qi in open_qs if t.touches[qi] & live)
    return Analysis(leader, frozenset(alive), relevant, v)
