"""Sentences that explain a decision, built from the verdicts and the user's own answers."""
from __future__ import annotations

from collections.abc import Mapping

from .model import Framework, Knowledge, Rule
from .verdicts import EPS, Verdicts, applying


def cite(knowledge: Knowledge, qid: str | None, answers: Mapping[str, str]) -> str:
    """ "(ORM: “SQLAlchemy is a must”)" for the user's answer to qid, or "" without one."""
    question = knowledge.question(qid) if qid else None
    option = question.option(answers.get(qid, "")) if question and qid else None
    if question is None or option is None:
        return ""
    return f" ({question.short}: \u201c{option.label}\u201d)"


def point(knowledge: Knowledge, rule: Rule, answers: Mapping[str, str]) -> str:
    """The rule's text with the answer that makes it hold: “text” (Short: “Label”)."""
    return f"\u201c{rule.text}\u201d{cite(knowledge, rule.question, answers)}"


def decided_by(v: Verdicts, pick: int, runner: int | None) -> tuple[str, float]:
    """Which step of the article's order separates the pick from the runner-up, and by how much."""
    if v.decided is not None:
        return "experience", 0.0
    if runner is None or (v.candidate(pick) and not v.candidate(runner)):
        return "only_candidate", 0.0
    if v.twice[pick] != v.twice[runner]:
        return "think_twice", float(v.twice[runner] - v.twice[pick])
    margin = v.weight[pick] - v.weight[runner]
    if margin > EPS:
        return "fit", round(margin, 6)
    return "tie", 0.0


def main_reason(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
                runner: int | None, step: str, answers: Mapping[str, str]) -> str:
    fw = frameworks[pick]
    if step == "experience":
        q = knowledge.decides
        return (f"Decided by your experience with {fw.name}{cite(knowledge, q, answers)}: the article's first "
                "factor is to go with your experience when the new app is not conceptually different.")
    if not any(v.consider):
        return (f"None of your answers matches a \u201cconsider using if\u201d point of the article yet, so every "
                f"framework is a candidate; {fw.name} has the fewest reasons to think twice and is the most "
                "widely used.")
    defining = [r for r in applying(fw, "consider", answers) if r.distinctive]
    if defining and step in ("only_candidate", "fit"):
        return f"Your answers fit {fw.name}'s defining case in the article: {point(knowledge, defining[0], answers)}."
    if step == "only_candidate":
        first = applying(fw, "consider", answers)[0]
        return (f"{fw.name} is the only framework the article recommends for your answers: "
                f"{point(knowledge, first, answers)}.")
    assert runner is not None
    other = frameworks[runner]
    if step == "think_twice":
        return _warned(knowledge, frameworks, v, pick, answers) or _warned(
            knowledge, frameworks, v, pick, answers, rival=runner)  # type: ignore[return-value]
    if step == "fit":
        return (f"{fw.name} fits more of your answers than {other.name} "
                f"(weight {v.weight[pick]:g} against {v.weight[runner]:g}), with no more reasons to think twice.")
    return (f"{fw.name} and {other.name} fit your answers equally well; the tie goes to the more widely used "
            f"framework, {fw.name}.")


def _warned(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
            answers: Mapping[str, str], rival: int | None = None) -> str | None:
    """The think-twice story: a candidate that fits more but carries a warning the pick has not."""
    fw = frameworks[pick]
    lead = "For your answers"
    if rival is None:
        heavier = [f for f in range(len(frameworks)) if v.candidate(f) and v.twice[f] > v.twice[pick]
                   and v.weight[f] > v.weight[pick] + EPS]
        if not heavier:
            return None
        rival = max(heavier, key=lambda f: (v.weight[f], -f))
        lead = f"{frameworks[rival].name} fits more of your answers, but"
    warnings = applying(frameworks[rival], "think_twice", answers)
    if not warnings:
        return None
    mine = "has no such warning" if v.twice[pick] == 0 else "has fewer such warnings"
    return (f"{lead} the article says think twice about {frameworks[rival].name}: "
            f"{point(knowledge, warnings[0], answers)}; {fw.name} {mine}.")


def reasons(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
            runner: int | None, step: str, answers: Mapping[str, str]) -> tuple[str, ...]:
    out = [main_reason(knowledge, frameworks, v, pick, runner, step, answers)]
    if step in ("fit", "tie", "only_candidate") and any(v.consider):
        warned = _warned(knowledge, frameworks, v, pick, answers)
        if warned:
            out.append(warned)
    for rule in applying(frameworks[pick], "consider", answers):
        line = f"{rule.text}{cite(knowledge, rule.question, answers)}."
        if rule.text not in out[0]:
            out.append(line)
    return tuple(out)


def caveats(knowledge: Knowledge, fw: Framework, answers: Mapping[str, str], unasked: set[str],
            skipped: set[str]) -> tuple[str, ...]:
    held, open_ = [], []
    for rule in fw.rules:
        if rule.kind == "consider" or rule.question is None:
            continue
        if rule.applies(answers.get(rule.question)):
            prefix = "Think twice: " if rule.kind == "think_twice" else ""
            held.append(f"{prefix}{rule.text}{cite(knowledge, rule.question, answers)}.")
        elif rule.kind == "think_twice" and rule.question in unasked | skipped:
            question = knowledge.question(rule.question)
            note = "you were not sure" if rule.question in skipped else "not asked"
            short = question.short if question else rule.question
            open_.append(f"If this applies, think twice about {fw.name}: {rule.text} ({short}: {note}).")
    return tuple(held + open_)
