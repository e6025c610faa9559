"""The recommendation a person can act on: pick, runner-up, reasons, caveats, changes."""
from __future__ import annotations

from . import explain
from .errors import UnknownOption, UnknownQuestion
from .model import Knowledge
from .replies import Change, OpenWin, Prefill, Ranked, Recommendation, Suggestion
from .asking import memo
from .openwins import open_wins
from .settle import Analysis, analyse
from .state import State
from .suggest import suggestions
from .textmatch import description, extract
from .verdicts import Tables, Verdicts, tables, values_of


def prefills(knowledge: Knowledge, state: State) -> tuple[Prefill, ...]:
    found = []
    # prefilled() is shorter than from_text once Back has removed text answers: those are gone.
    for (q, o), (_, keyword) in zip(state.prefilled(), state.from_text, strict=False):
        question = knowledge.question(q)
        option = question.option(o) if question else None
        if question and option:
            found.append(Prefill(q, question.short, o, option.label, keyword))
    return tuple(found)


def confidence(knowledge: Knowledge, step: str, settled: bool, open_count: int,
               found: tuple[Change, ...]) -> tuple[str, str]:
    """(level, what it is based on): past success, open questions, or how many of the other
    questions would change the pick with one different answer (the listed changes)."""
    if step == "experience":
        return "high", "past success decides, as the article says"
    if not settled:
        return "low", f"{open_count} open question{'s' if open_count != 1 else ''} could still change the pick"
    flips = list(dict.fromkeys(c.question_short for c in found if c.question != knowledge.decides))
    if not flips:
        decides = knowledge.question(knowledge.decides) if knowledge.decides else None
        besides = f" besides {decides.short}" if decides is not None else ""
        return "high", f"no single different answer{besides} would change the pick"
    if len(flips) <= 2:
        return "medium", f"a different answer to {' or '.join(flips)} would change the pick"
    return "low", f"a different answer to any of {len(flips)} questions would change the pick"


def changes(knowledge: Knowledge, t: Tables, vals: list[int], v: Verdicts, pick: int,
            skipped: set[str]) -> tuple[Change, ...]:
    """Every single answer (to an unasked, skipped or answered question) that changes the pick.
    The deciding question comes last: "had you shipped with X, X would be the pick" says
    less about this project than any other change."""
    found = []
    order = [qi for qi in range(len(knowledge.questions)) if qi != t.decides]
    if t.decides is not None:
        order.append(t.decides)
    for qi in order:
        question = knowledge.questions[qi]
        if not t.touches[qi]:
            continue  # no framework's verdicts depend on it
        old = vals[qi]
        old_label = question.option(t.values[qi][old]).label if old else None  # type: ignore[union-attr, arg-type]
        for vi in range(1, len(t.values[qi])):
            if vi == old:
                continue
            other = v.pick_after(t, qi, old, vi)
            if other == pick:
                continue
            option = question.options[vi - 1]
            name = t.frameworks[other].name
            if old_label is not None:
                text = (f"If you answered \u201c{option.label}\u201d instead of \u201c{old_label}\u201d for "
                        f"{question.short}, the pick would be {name}.")
            else:
                note = "you were not sure" if question.id in skipped else "not asked"
                text = (f"If you answered \u201c{option.label}\u201d for {question.short} ({note}), "
                        f"the pick would be {name}.")
            found.append(Change(question.id, question.short, option.id, option.label, t.frameworks[other].id, name,
                                text))
    return tuple(found)


def also_consider(knowledge: Knowledge, answers: dict[str, str], pick: str) -> tuple[Suggestion, ...]:
    """Frameworks outside the article worth a look next to the pick (bot/engine/suggest.py):
    the one call point, after the decision and never changing it."""
    return suggestions(knowledge, answers, pick)


def build_recommendation(knowledge: Knowledge, state: State, analysis: Analysis | None = None) -> Recommendation:
    t = tables(knowledge)
    answers = state.answer_map()
    vals = values_of(t, answers)
    seen = state.seen()
    skipped = {q for q, o in state.answers if o is None}
    unasked = {q.id for q in knowledge.questions if q.id not in seen}
    if analysis is None:
        analysis = analyse(knowledge, t, vals, [i for i, q in enumerate(t.qids) if q not in seen])
    v = analysis.verdicts
    order = v.order()
    pick, runner = order[0], (order[1] if len(order) > 1 else None)
    step, margin = explain.decided_by(v, pick, runner)
    fw = t.frameworks[pick]
    # a pure function of the answers and skips: kept in the engine's one bounded memo
    key = ("changes", tuple(vals), tuple(sorted(skipped)))
    m = memo(knowledge)
    cached = m.get(key)
    if isinstance(cached, tuple):
        found: tuple[Change, ...] = cached
    else:
        found = changes(knowledge, t, vals, v, pick, skipped)
        m.put(key, found)
    level, basis = confidence(knowledge, step, analysis.settled, len(analysis.relevant), found)
    open_total = 0
    wins: tuple[tuple[int, int], ...] = ()
    if not analysis.settled:
        okey = ("open", tuple(vals), analysis.relevant)
        counted = m.get(okey)
        if isinstance(counted, tuple):
            open_total, wins = counted
        else:
            open_total, wins = open_wins(t, v, analysis.relevant)
            m.put(okey, (open_total, wins))
    return Recommendation(
        framework=fw.id,
        name=fw.name,
        runner_up=t.frameworks[runner].id if runner is not None else None,
        runner_up_name=t.frameworks[runner].name if runner is not None else None,
        confidence=level,
        confidence_basis=basis,
        ranking=tuple(
            Ranked(t.frameworks[f].id, t.frameworks[f].name, round(v.score(f), 6), round(v.fit[f], 6),
                   round(v.warn[f], 6), v.hard[f])
            for f in order
        ),
        reasons=explain.reasons(knowledge, t.frameworks, v, pick, runner, step, answers),
        caveats=explain.caveats(knowledge, fw, answers, unasked, skipped),
        flips=tuple(c.text for c in found),
        links=fw.links,
        questions_asked=state.user_answers(),
        summary=fw.summary,
        prefilled=prefills(knowledge, state),
        can_refine=len(state.answers) < len(knowledge.questions),
        decided_by=step,
        settled=analysis.settled,
        open_questions=tuple(t.qids[qi] for qi in analysis.relevant),
        changes=found,
        also_consider=also_consider(knowledge, answers, fw.id),
        margin=margin,
        margin_text=explain.margin_text(knowledge, t.frameworks, v, pick, runner, step),
        open_total=open_total,
        open_wins=tuple(OpenWin(t.frameworks[f].id, t.frameworks[f].name, n) for f, n in wins),
    )


def recommend(knowledge: Knowledge, answers: dict[str, str], text: str = "") -> Recommendation:
    """One recommendation from given answers (and optional text), without a conversation."""
    return build_recommendation(knowledge, state_for(knowledge, answers, text))


def state_for(knowledge: Knowledge, answers: dict[str, str], text: str = "") -> State:
    """The finished state `recommend` decides from: answers from the text first, then the given ones."""
    for q, o in answers.items():
        question = knowledge.question(q)
        if question is None:
            raise UnknownQuestion(f"There is no question called {q[:40]!r}.")
        if question.option(o) is None:
            choices = ", ".join(x.id for x in question.options)
            raise UnknownOption(f"{o[:40]!r} is not an answer to {q!r}. Choose one of: {choices}.")
    found = [(q, o, k) for q, o, k in extract(knowledge, text) if q not in answers]
    return State(
        answers=tuple((q, o) for q, o, _ in found) + tuple(answers.items()),
        from_text=tuple((q, k) for q, _, k in found),
        text=description(text),
    )
