"""Turning scores into a recommendation a person can act on: reasons, caveats, flips."""
from __future__ import annotations

from . import scoring
from .errors import UnknownOption, UnknownQuestion
from .model import Framework, Knowledge, Rule
from .replies import Prefill, Ranked, Recommendation
from .state import State
from .suggest import suggestions
from .textmatch import description, extract

MAX_FLIPS = 3


def prefills(knowledge: Knowledge, state: State) -> tuple[Prefill, ...]:
    found = []
    for (q, o), (_, keyword) in zip(state.prefilled(), state.from_text):
        question = knowledge.question(q)
        option = question.option(o) if question else None
        if question and option:
            found.append(Prefill(q, question.short, o, option.label, keyword))
    return tuple(found)


def _cite(knowledge: Knowledge, question_id: str, option_id: str) -> str:
    question = knowledge.question(question_id)
    option = question.option(option_id) if question else None
    if question is None or option is None:
        return ""
    return f"you answered \u201c{option.label}\u201d to {question.short.lower()}"


def _applies(rule: Rule, answers: dict[str, str]) -> bool:
    if rule.question is None:
        return False
    return (answers.get(rule.question) in rule.options) != rule.negate


def _reasons(knowledge: Knowledge, framework: Framework, answers: dict[str, str]) -> tuple[str, ...]:
    reasons = []
    for rule in framework.rules:
        if rule.kind == "consider" and rule.weight > 0 and _applies(rule, answers):
            cite = _cite(knowledge, rule.question, answers[rule.question]) if not rule.negate else ""
            reasons.append(f"{rule.text} ({cite})" if cite else rule.text)
    if not reasons:
        reasons.append(f"Nothing you said rules it out, and it is the article's default here: {framework.summary}")
    return tuple(reasons)


def _caveats(knowledge: Knowledge, framework: Framework, answers: dict[str, str], skipped: set[str]) -> tuple[str, ...]:
    applied, unknown = [], []
    for rule in framework.rules:
        if rule.kind != "think_twice":
            continue
        if _applies(rule, answers):
            cite = _cite(knowledge, rule.question, answers[rule.question]) if not rule.negate else ""
            applied.append(f"{rule.text} ({cite})" if cite else rule.text)
        elif rule.question is None or rule.question not in answers:
            note = "you were not sure" if rule.question in skipped else "not asked"
            unknown.append(f"If {rule.text[:1].lower()}{rule.text[1:]} ({note})")
    return tuple(applied + unknown)


def _flips(knowledge: Knowledge, t: scoring.Tables, answers: dict[str, str], pick: int,
           scores: list[float], vetoes: list[int]) -> tuple[str, ...]:
    found = []
    for question in knowledge.questions:
        old = answers.get(question.id)
        if old is None or old not in t.delta[question.id]:
            continue
        base = [s - d for s, d in zip(scores, t.delta[question.id][old])]
        base_v = [v - d for v, d in zip(vetoes, t.veto[question.id][old])]
        for option in question.options:
            if option.id == old:
                continue
            other = scoring.top_after(t, base, base_v, question.id, option.id)
            if other != pick:
                name = knowledge.candidates[other].name
                found.append(f"If you answered \u201c{option.label}\u201d to {question.short.lower()}, "
                             f"{name} would come out on top.")
                break
        if len(found) >= MAX_FLIPS:
            break
    return tuple(found)


def build_recommendation(knowledge: Knowledge, state: State) -> Recommendation:
    memo: dict = knowledge.memo.setdefault("recommendations", {})  # type: ignore[assignment]
    key = (state.answers, state.from_text)
    if key not in memo:
        if len(memo) >= 20_000:
            memo.clear()
        memo[key] = _build(knowledge, state)
    return memo[key]


def _build(knowledge: Knowledge, state: State) -> Recommendation:
    t = scoring.tables(knowledge)
    answers = state.answer_map()
    skipped = {q for q, o in state.answers if o is None}
    scores, vetoes = scoring.totals(t, answers)
    ranked = scoring.ranking(t, scores, vetoes, knowledge.temperature)
    pick = ranked[0][0]
    runner = ranked[1][0] if len(ranked) > 1 and vetoes[ranked[1][0]] <= 0 else None
    margin = scores[pick] - scores[runner] if runner is not None else float("inf")
    confidence = ("high" if margin >= knowledge.confidence_high
                  else "medium" if margin >= knowledge.confidence_medium else "low")
    framework = knowledge.candidates[pick]

    return Recommendation(
        framework=framework.id,
        name=framework.name,
        runner_up=knowledge.candidates[runner].id if runner is not None else None,
        runner_up_name=knowledge.candidates[runner].name if runner is not None else None,
        confidence=confidence,
        ranking=tuple(
            Ranked(knowledge.candidates[i].id, knowledge.candidates[i].name, round(share, 3),
                   round(scores[i], 2), vetoes[i] > 0)
            for i, share in ranked
        ),
        reasons=_reasons(knowledge, framework, answers),
        caveats=_caveats(knowledge, framework, answers, skipped),
        flips=_flips(knowledge, t, answers, pick, scores, vetoes),
        links=framework.links,
        questions_asked=state.user_answers(),
        summary=framework.summary,
        prefilled=prefills(knowledge, state),
        can_refine=len(state.answers) < len(knowledge.questions),
        also_consider=suggestions(knowledge, answers, framework.id),
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
