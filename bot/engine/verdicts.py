"""Which of the article's points apply, for which framework, given the answers: the one
place where a rule's meaning lives. The pick, reasons, runner-up, confidence, changes,
the exact stop and `knowledge check` all read these verdicts.

The decision is the article's order, lexicographic (knowledge/questions.yaml, settings.decision):
  1. decides:     the deciding question answered with an option naming a framework picks it;
  2. candidates:  pickable frameworks with at least one applying consider point (all if none);
  3. think_twice: fewest applying think-twice points;
  4. fit:         most consider weight;
  5. share:       the more widely used framework (knowledge order, by `prior`).

Every rule depends on one question, so the tables hold, per question and per value
(an option, or None for "no answer"), what each framework gets: consider weight, consider
count and think-twice count. Evaluating answers is then a sum of table rows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import Framework, Knowledge, Rule

EPS = 1e-9  # weights are YAML decimals: equal within EPS is a tie


@dataclass(frozen=True)
class Tables:
    frameworks: tuple[Framework, ...]  # the pickable ones, in share order (step 5)
    qids: tuple[str, ...]
    values: tuple[tuple[str | None, ...], ...]  # per question: None, then option ids
    vindex: tuple[dict[str | None, int], ...]
    weight: tuple[tuple[tuple[float, ...], ...], ...]  # [q][value][framework] consider weight
    consider: tuple[tuple[tuple[int, ...], ...], ...]  # consider points that apply
    twice: tuple[tuple[tuple[int, ...], ...], ...]  # think-twice points that apply
    touches: tuple[frozenset[int], ...]  # frameworks whose verdicts depend on each question
    decides: int | None  # index of the deciding question
    named: tuple[int | None, ...]  # per value of the deciding question: the framework it names
    likely: tuple[tuple[float, ...], ...]  # [q][option] probability, for choosing questions
    qpos: dict[str, int]

    def index(self, qid: str) -> int | None:
        return self.qpos.get(qid)


@dataclass(frozen=True)
class Verdicts:
    weight: tuple[float, ...]
    consider: tuple[int, ...]
    twice: tuple[int, ...]
    decided: int | None  # step 1: the framework the deciding answer names

    def candidate(self, f: int) -> bool:
        return self.consider[f] > 0 or not any(self.consider)

    def key(self, f: int) -> tuple[int, int, float, int]:
        """Smaller is better: the article's order as a sort key."""
        return (0 if self.candidate(f) else 1, self.twice[f], -round(self.weight[f] / EPS) * EPS, f)

    def order(self) -> list[int]:
        ranked = sorted(range(len(self.weight)), key=self.key)
        if self.decided is not None:
            ranked.remove(self.decided)
            ranked.insert(0, self.decided)
        return ranked

    def shift(self, t: Tables, qi: int, old: int, new: int) -> Verdicts:
        """These verdicts with question qi's value changed from `old` to `new`."""
        w0, w1 = t.weight[qi][old], t.weight[qi][new]
        c0, c1 = t.consider[qi][old], t.consider[qi][new]
        k0, k1 = t.twice[qi][old], t.twice[qi][new]
        decided = self.decided
        if qi == t.decides:
            decided = t.named[new]
        return Verdicts(tuple([a - b + c for a, b, c in zip(self.weight, w0, w1, strict=True)]),
                        tuple([a - b + c for a, b, c in zip(self.consider, c0, c1, strict=True)]),
                        tuple([a - b + c for a, b, c in zip(self.twice, k0, k1, strict=True)]), decided)

    def pick_after(self, t: Tables, qi: int, old: int, new: int) -> int:
        """The pick with question qi's value changed from `old` to `new`."""
        if qi == t.decides:
            if t.named[new] is not None:
                return t.named[new]  # type: ignore[return-value]
        elif self.decided is not None:
            return self.decided
        return self.shift(t, qi, old, new).pick()

    def pick(self) -> int:
        if self.decided is not None:
            return self.decided
        # the article's order without building sort keys: candidates, fewest think-twice
        # points, most weight, first in share order
        pool = [f for f, c in enumerate(self.consider) if c] or range(len(self.consider))
        twice = self.twice
        fewest = min(twice[f] for f in pool)
        best = -1
        for f in pool:
            if twice[f] == fewest and (best < 0 or self.weight[f] > self.weight[best] + EPS):
                best = f
        return best


def tables(knowledge: Knowledge) -> Tables:
    cached = knowledge.memo.get("verdicts")
    if cached is None:
        cached = knowledge.memo["verdicts"] = _compile(knowledge)
    return cached  # type: ignore[return-value]


def _compile(knowledge: Knowledge) -> Tables:
    frameworks = knowledge.candidates
    qids = tuple(q.id for q in knowledge.questions)
    values, weight, consider, twice, touches, likely = [], [], [], [], [], []
    for q in knowledge.questions:
        vals: tuple[str | None, ...] = (None, *(o.id for o in q.options))
        values.append(vals)
        rows_w, rows_c, rows_t = [], [], []
        for v in vals:
            rows_w.append(tuple(sum(r.weight for r in _rules(f, q.id, "consider") if r.applies(v)) for f in frameworks))
            rows_c.append(tuple(sum(1 for r in _rules(f, q.id, "consider") if r.applies(v)) for f in frameworks))
            rows_t.append(tuple(sum(1 for r in _rules(f, q.id, "think_twice") if r.applies(v)) for f in frameworks))
        weight.append(tuple(rows_w))
        consider.append(tuple(rows_c))
        twice.append(tuple(rows_t))
        touches.append(frozenset(i for i in range(len(frameworks))
                                 if len({(w[i], c[i], t[i])
                                         for w, c, t in zip(rows_w, rows_c, rows_t, strict=True)}) > 1))
        likely.append(_likely(q.options))
    decides = qids.index(knowledge.decides) if knowledge.decides in qids else None
    named: tuple[int | None, ...] = ()
    if decides is not None:
        pos = {f.id: i for i, f in enumerate(frameworks)}
        named = tuple(pos.get(v) if v is not None else None for v in values[decides])
        touches[decides] = touches[decides] | {i for i in named if i is not None}
    return Tables(frameworks, qids, tuple(values), tuple({v: i for i, v in enumerate(vals)} for vals in values),
                  tuple(weight), tuple(consider), tuple(twice), tuple(touches), decides, named, tuple(likely),
                  {q: i for i, q in enumerate(qids)})


def _rules(framework: Framework, qid: str, kind: str) -> list[Rule]:
    return [r for r in framework.rules if r.kind == kind and r.question == qid]


def _likely(options: tuple) -> tuple[float, ...]:
    given = [o.likely for o in options]
    rest = max(0.0, 1.0 - sum(p for p in given if p is not None))
    unknown = sum(1 for p in given if p is None)
    probs = [p if p is not None else rest / unknown for p in given]
    total = sum(probs) or 1.0
    return tuple(p / total for p in probs)


def values_of(t: Tables, answers: Mapping[str, str]) -> list[int]:
    """Per question, the index of its value (0: no answer); unknown answers are no answer."""
    out = [0] * len(t.qids)
    for qid, option in answers.items():
        qi = t.index(qid)
        if qi is not None:
            out[qi] = t.vindex[qi].get(option, 0)
    return out


def evaluate(t: Tables, vals: Sequence[int]) -> Verdicts:
    rows = list(enumerate(vals))
    weight = tuple(map(sum, zip(*[t.weight[qi][vi] for qi, vi in rows], strict=True)))
    consider = tuple(map(sum, zip(*[t.consider[qi][vi] for qi, vi in rows], strict=True)))
    twice = tuple(map(sum, zip(*[t.twice[qi][vi] for qi, vi in rows], strict=True)))
    decided = t.named[vals[t.decides]] if t.decides is not None else None
    return Verdicts(weight, consider, twice, decided)


def verdicts(knowledge: Knowledge, answers: Mapping[str, str]) -> Verdicts:
    t = tables(knowledge)
    return evaluate(t, values_of(t, answers))


def winner(knowledge: Knowledge, answers: Mapping[str, str]) -> str:
    """The id of the pick for these answers (question id -> option id)."""
    t = tables(knowledge)
    return t.frameworks[evaluate(t, values_of(t, answers)).pick()].id


def holds(rule: Rule, answers: Mapping[str, str]) -> bool:
    """Whether a point holds for these answers (question id -> option id)."""
    return rule.question is not None and rule.applies(answers.get(rule.question))


def applying(framework: Framework, kind: str, answers: Mapping[str, str]) -> list[Rule]:
    """The points of one kind that hold for these answers, in file order."""
    return [r for r in framework.rules if r.kind == kind and holds(r, answers)]


def generic_reach(t: Tables) -> list[float]:
    """Per pickable framework: the most weight its non-distinctive consider points can sum to."""
    out = []
    for f in t.frameworks:
        total = 0.0
        for qi, qid in enumerate(t.qids):
            total += max(sum(r.weight for r in _rules(f, qid, "consider") if not r.distinctive and r.applies(v))
                         for v in t.values[qi])
        out.append(total)
    return out
