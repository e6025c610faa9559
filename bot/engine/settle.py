"""The exact stop: is the pick settled, and which open questions can still change it?

A question not asked, or answered "not sure", has no answer. The leader L (the pick for
the answers so far) is settled iff no completion of the open questions (each: any
option, or no answer) changes the pick. L stops being the pick iff some rival R comes
before it in the article's order, so it is enough to ask, per rival, "can R beat L on
some completion?".

Every rule depends on one question, and effects add up. R beats L on a completion iff
  (a) R ends a candidate and L does not, or
  (b) both end candidates and R's (think-twice difference, -weight difference) is small
      enough: below 0 think-twice, or 0 with more weight (or equal weight and R first).
(a) needs L to have no consider point and some open question to have a value giving R one
but not L. For (b) the order on (think-twice, -weight) is total and translation
invariant, so the best sum is the sum of each question's best value; if R (or L) still
needs a consider point, the cheapest question (or two) to switch to a value that gives it
is added. One pass over the open questions that touch R or L: linear in the knowledge.
The one coupling to other frameworks is "no candidate at all makes everyone a candidate";
that case is separable (every open question restricted to values that give nobody a
consider point).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Knowledge
from .verdicts import EPS, Tables, Verdicts, evaluate

Best = tuple[int, float] | None  # (think-twice difference, weight difference), None: no such value
# Per question, for a pair (R, L): index, best (k, w), best giving R a consider point, best
# giving L one, best giving both, and whether some value gives R one but not L.
Item = tuple[int, int, float, Best, Best, Best, bool]


@dataclass(frozen=True)
class Pairs:
    """Per ordered pair (R, L): the questions that can move them apart (see Item), and per
    question the best think-twice difference among the values that give nobody a
    consider point (for the "no candidate at all" case)."""

    items: dict[tuple[int, int], tuple[Item, ...]]
    quiet: dict[tuple[int, int], tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class Analysis:
    leader: int
    alive: frozenset[int]  # frameworks that can still beat the leader on some completion
    relevant: tuple[int, ...]  # open questions that can still change the pick, in knowledge order
    verdicts: Verdicts

    @property
    def settled(self) -> bool:
        return not self.alive


def pairs(knowledge: Knowledge, t: Tables) -> Pairs:
    cached = knowledge.memo.get("pairs")
    if cached is None:
        cached = knowledge.memo["pairs"] = _compile(t)
    return cached  # type: ignore[return-value]


def _better(a: Best, b: Best) -> bool:
    """a before b in the order that favours R: fewer think-twice points, then more weight."""
    return b is None or (a is not None and (a[0] < b[0] or (a[0] == b[0] and a[1] > b[1])))


def _compile(t: Tables) -> Pairs:
    n = len(t.frameworks)
    items: dict[tuple[int, int], list[Item]] = {}
    quiet: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for qi in range(len(t.qids)):
        ok = [v for v in range(len(t.values[qi])) if qi != t.decides or t.named[v] is None]
        calm = [v for v in ok if not any(t.consider[qi][v])]
        k0, w0 = t.twice[qi][0], t.weight[qi][0]
        for r in range(n):
            for lead in range(n):
                if r == lead or not (t.touches[qi] & {r, lead}):
                    continue
                best: list[Best] = [None, None, None, None]  # any, gives R, gives L, gives both
                r_only = False
                for v in ok:
                    k, c, w = t.twice[qi][v], t.consider[qi][v], t.weight[qi][v]
                    here = ((k[r] - k0[r]) - (k[lead] - k0[lead]), (w[r] - w0[r]) - (w[lead] - w0[lead]))
                    er, el = c[r] > 0, c[lead] > 0
                    r_only = r_only or (er and not el)
                    for slot, wanted in enumerate((True, er, el, er and el)):
                        if wanted and _better(here, best[slot]):
                            best[slot] = here
                bk, bw = best[0]  # type: ignore[misc]
                if (bk, bw) != (0, 0.0) or any(best[1:]) or r_only:
                    items.setdefault((r, lead), []).append((qi, bk, bw, best[1], best[2], best[3], r_only))
                low = min((t.twice[qi][v][r] - k0[r]) - (t.twice[qi][v][lead] - k0[lead]) for v in calm)
                if low:
                    quiet.setdefault((r, lead), []).append((qi, low))
    return Pairs({key: tuple(v) for key, v in items.items()}, {key: tuple(v) for key, v in quiet.items()})


def _cost(best: Best, bk: int, bw: float) -> Best:
    """What switching a question from its best value to `best` costs R."""
    return None if best is None else (best[0] - bk, best[1] - bw)


def _plus(a: Best, b: Best) -> Best:
    return None if a is None or b is None else (a[0] + b[0], a[1] + b[1])


class _Cheapest:
    """The two cheapest switches seen, and the question of the cheapest."""

    __slots__ = ("first", "q", "second")

    def __init__(self) -> None:
        self.first: Best = None
        self.second: Best = None
        self.q = -1

    def offer(self, cost: Best, qi: int) -> None:
        if _better(cost, self.first):
            self.first, self.second, self.q = cost, self.first, qi
        elif _better(cost, self.second):
            self.second = cost


def can_beat(p: Pairs, v: Verdicts, open_mask: int, r: int, lead: int) -> bool:
    """Whether rival r comes before the leader `lead` on some completion of the open questions
    (`open_mask`: bit qi set for each open question)."""
    need_r, need_l = v.consider[r] == 0, v.consider[lead] == 0
    if need_l and not need_r:
        return True  # (a) already
    k, w = v.twice[r] - v.twice[lead], v.weight[r] - v.weight[lead]
    # the two cheapest switches giving R a consider point, giving L one, and the cheapest giving both
    gives_r, gives_l = _Cheapest(), _Cheapest()
    both: Best = None
    for qi, bk, bw, gr, gl, grl, r_only in p.items.get((r, lead), ()):
        if not open_mask >> qi & 1:
            continue
        if need_l and r_only:
            return True  # (a): R gets a consider point, L none
        k += bk
        w += bw
        if need_r and gr is not None:
            gives_r.offer(_cost(gr, bk, bw), qi)
        if need_l and gl is not None:
            gives_l.offer(_cost(gl, bk, bw), qi)
        if need_r and need_l and grl is not None and _better(c := _cost(grl, bk, bw), both):
            both = c
    extra: Best = (0, 0.0)
    if need_r and need_l:
        if gives_r.q != gives_l.q:
            pair = _plus(gives_r.first, gives_l.first)
        else:  # one question cannot give both through two different values
            a, b = _plus(gives_r.first, gives_l.second), _plus(gives_r.second, gives_l.first)
            pair = a if _better(a, b) else b
        extra = both if _better(both, pair) else pair
    elif need_r:
        extra = gives_r.first
    elif need_l:
        extra = gives_l.first
    if extra is not None:
        dk, dw = k + extra[0], w + extra[1]
        if dk < 0 or (dk == 0 and (dw > EPS or (dw > -EPS and r < lead))):
            return True
    if any(v.consider):
        return False
    # Nobody has a consider point yet: on completions that keep it so, everyone is a
    # candidate and nobody has consider weight, so only think-twice counts and shares differ.
    dk = v.twice[r] - v.twice[lead] + sum(low for qi, low in p.quiet.get((r, lead), ()) if open_mask >> qi & 1)
    return dk < 0 or (dk == 0 and r < lead)


def analyse(knowledge: Knowledge, t: Tables, vals: Sequence[int], open_qs: Sequence[int],
            v: Verdicts | None = None) -> Analysis:
    """The leader for these values (0: no answer), and what the open questions can still do.
    `v`: the verdicts for `vals`, when the caller has them already."""
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
    if t.decides is not None and open_mask >> t.decides & 1:
        alive |= {f for f in t.named if f is not None and f != leader}
    for r in range(len(t.frameworks)):
        if r != leader and r not in alive and can_beat(p, v, open_mask, r, leader):
            alive.add(r)
    if not alive:
        return Analysis(leader, frozenset(), (), v)
    live = alive | {leader}
    relevant = tuple(qi for qi in open_qs if t.touches[qi] & live)
    return Analysis(leader, frozenset(alive), relevant, v)
