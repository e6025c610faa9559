"""Sentences that explain a decision, built from the verdicts and the user's own answers.

Every figure said is one of the rule's own (bot/engine/verdicts.py): points are the weight
of a framework's fits minus the weight of its soft warnings, hard mismatches a tier above.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import Framework, Knowledge, Rule
from .verdicts import EPS, Verdicts, weighed

SHOWN = 4  # fits named in the main reason, the heaviest first; the rest are counted

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


def named(knowledge: Knowledge, rule: Rule, answers: Mapping[str, str]) -> str:
    """The point in a few words (its `short`, else its quoted text) with the answer that makes it hold."""
    return f"{rule.short}{cite(knowledge, rule.question, answers)}" if rule.short else point(knowledge, rule, answers)


def listed(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def decided_by(v: Verdicts, pick: int, runner: int | None) -> tuple[str, float]:
    """Which step of the rule separates the pick from the runner-up, and by how much:
    hard mismatches fewer, or points more."""
    if v.decided is not None:
        return "experience", 0.0
    if runner is None:
        return "tie", 0.0
    if v.hard[pick] != v.hard[runner]:
        return "hard", float(v.hard[runner] - v.hard[pick])
    margin = v.score(pick) - v.score(runner)
    if margin > EPS:
        return "score", round(margin, 6)
    return "tie", 0.0


def _pts(x: float) -> str:
    return f"{x:g} point{'s' if abs(x) != 1 else ''}"


def margin_text(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
                runner: int | None, step: str) -> str:
    """The margin in the rule's own terms, in words ("" when past success decides: nothing is weighed)."""
    if step == "experience" or runner is None:
        return ""
    p, r = frameworks[pick].name, frameworks[runner].name
    if step == "hard":
        return (f"{r} comes next but carries {v.hard[runner] - v.hard[pick]} more hard mismatch"
                f"{'es' if v.hard[runner] - v.hard[pick] != 1 else ''} than {p}.")
    weights = dict(knowledge.points)
    scale = (f"a strong fit counts {weights['strong']:g}, a fit {weights['fit']:g}, "
             f"a soft warning \u2212{weights['soft']:g}")
    if step == "score":
        return (f"{p} leads {r} by {_pts(v.score(pick) - v.score(runner))}: {v.score(pick):g} to "
                f"{v.score(runner):g} ({scale}).")
    return f"{p} and {r} are level on {_pts(v.score(pick))} ({scale}); the more widely used comes first."


def main_reason(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
                answers: Mapping[str, str], experience: bool) -> str:
    fw = frameworks[pick]
    if experience:
        q = knowledge.decides
        return (f"Decided by your experience with {fw.name}{cite(knowledge, q, answers)}: the article's first "
                "factor is to go with your experience when the new app is not conceptually different.")
    strengths = [named(knowledge, r, answers) for r in weighed(knowledge, fw, "consider", answers)]
    if len(strengths) > SHOWN:
        more = len(strengths) - SHOWN
        strengths = [*strengths[:SHOWN], f"{more} more fit{'s' if more != 1 else ''}"]
    warnings = [named(knowledge, r, answers) for r in weighed(knowledge, fw, "think_twice", answers)]
    against = f"the warning{'s' if len(warnings) != 1 else ''} about {listed(warnings)}"
    if strengths and warnings:
        verb = "outweighs" if len(strengths) == 1 else "outweigh"
        return f"{fw.name}: {listed(strengths)} {verb} {against}."
    if strengths:
        return f"{fw.name} fits your answers: {listed(strengths)}, with no warning against it."
    if warnings:
        return (f"None of your answers speaks for {fw.name} in particular, but it carries the least against it: "
                f"{against}.")
    return f"None of your answers speaks for or against any framework yet; {fw.name} is the most widely used."


def runner_reason(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
                  runner: int | None, step: str, answers: Mapping[str, str]) -> str | None:
    """Why not the runner-up, from the same rule."""
    if runner is None or step == "experience":
        return None
    fw, other = frameworks[pick], frameworks[runner]
    if step == "hard":
        hard = [r for r in weighed(knowledge, other, "think_twice", answers) if r.hard]
        mine = "carries none" if v.hard[pick] == 0 else "carries fewer"
        return (f"{other.name} would be next, but it has a hard mismatch for your needs: "
                f"{point(knowledge, hard[0], answers)}; {fw.name} {mine}.")
    warnings = [r for r in weighed(knowledge, other, "think_twice", answers) if not r.hard]
    if step == "tie":
        return (f"{fw.name} and {other.name} weigh the same for your answers; the tie goes to the more widely used, "
                f"{fw.name}.")
    tail = f"; it carries the warning about {named(knowledge, warnings[0], answers)}" if warnings else ""
    return f"{other.name} is the runner-up with {_pts(v.score(runner))} to {fw.name}'s {v.score(pick):g}{tail}."


def held_back(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
              runner: int | None, answers: Mapping[str, str]) -> str | None:
    """The framework with more points than the pick that a hard mismatch keeps out, if any
    (and if it is not the runner-up, whose line says so already)."""
    above = [f for f in range(len(frameworks)) if v.hard[f] > v.hard[pick] and v.score(f) > v.score(pick) + EPS]
    if not above:
        return None
    top = max(above, key=lambda f: (v.score(f), -f))
    if top == runner:
        return None
    hard = [r for r in weighed(knowledge, frameworks[top], "think_twice", answers) if r.hard]
    return (f"{frameworks[top].name} would score more ({_pts(v.score(top))}), but it has a hard mismatch for your "
            f"needs: {point(knowledge, hard[0], answers)}.")


def reasons(knowledge: Knowledge, frameworks: tuple[Framework, ...], v: Verdicts, pick: int,
            runner: int | None, step: str, answers: Mapping[str, str]) -> tuple[str, ...]:
    out = [main_reason(knowledge, frameworks, v, pick, answers, step == "experience")]
    if step != "experience":
        for line in (runner_reason(knowledge, frameworks, v, pick, runner, step, answers),
                     held_back(knowledge, frameworks, v, pick, runner, answers)):
            if line:
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
