"""A finished conversation as a MADR 4.0 decision record (adr/madr, template/adr-template.md).

Pure: knowledge + state + the engine's recommendation + who decided + the date in,
markdown out. It only reads the reply and the knowledge; the decision itself is the
engine's. Every interpolated text goes through `markdown.text`, so nothing the user typed
(or a display name) can become markup, HTML or a chat mention.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from bot.engine.changes import change_lines
from bot.engine.model import Framework, Knowledge
from bot.engine.verdicts import holds as _applies  # the engine's own test of whether a rule applies
from bot.engine.replies import Ranked, Recommendation, Suggestion
from bot.engine.state import State
from bot.engine.teamresult import TeamResult

from . import team as team_part
from .markdown import link, sentence_tail, text, yaml_string

SOURCE = 'The Earthly article "Top Python Frameworks for 2024" by Jura Gorohovsky'
DEFAULT_SUBJECT = "our next web application"
SUBJECT_MAX = 80  # characters of the project description used in the title
LOCAL_DECIDER = "console user"
WARNINGS = ("think_twice", "caveat")  # rule kinds that speak against a framework (a caveat is never counted)
# Recommendation.decided_by (the step of the rule that separated the pick from the
# runner-up) in a record's words.
DECIDED_BY = {
    "experience": "past success, the article's first factor: go with your experience when the new app is similar",
    "hard": "the runner-up carries more hard mismatches with our needs",
    "score": "its fits outweigh its warnings by more points than the runner-up's",
    "tie": "it weighs the same as the runner-up, and the tie goes to the more widely used framework",
}


def filename(result: Recommendation, day: dt.date) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", result.framework.lower()).strip("-") or "framework"
    return f"decision-{slug}-{day.isoformat()}.md"


def subject(state: State) -> str:
    words = " ".join(state.text.split()).rstrip(".!?")
    if not words:
        return DEFAULT_SUBJECT
    if len(words) > SUBJECT_MAX:
        words = words[:SUBJECT_MAX].rsplit(" ", 1)[0] + "\u2026"
    return words


def record(knowledge: Knowledge, state: State, result: Recommendation, decision_makers: Sequence[str],
           day: dt.date, team: TeamResult | None = None) -> str:
    """`team`: a team decision's result (bot/engine/teamresult.py): its counts are the drivers and
    its splits the open points; `state` holds the team's answers."""
    names = frozenset(f.name for f in knowledge.frameworks)
    makers = [" ".join(m.split()) for m in decision_makers if m and m.strip()] or [LOCAL_DECIDER]
    out = [
        "---",
        "status: proposed",
        f"date: {day.isoformat()}",
        "decision-makers: [" + ", ".join(yaml_string(m) for m in makers) + "]",
        "---",
        "",
        f"# Use {text(result.name)} for {text(subject(state))}",
        "",
        *_context(state, team),
        *(team_part.drivers(team) if team else _drivers(knowledge, state, result)),
        "## Considered Options",
        "",
        *[f"* {text(name)}" for name in _considered_names(knowledge, result)],
        "",
        *_outcome(result, names, _pick_caveats(knowledge, state, result), team_part.open_points(team) if team else []),
        "## Pros and Cons of the Options",
        "",
    ]
    answers = state.answer_map()
    unsure = {q for q, o in state.answers if o is None}
    ranks = {r.framework: (n, r) for n, r in enumerate(result.ranking, 1)}
    for framework in _considered(knowledge, result):
        out += _framework_section(knowledge, framework, answers, unsure, ranks, len(result.ranking), names)
    shown = {f.id for f in _considered(knowledge, result)}
    for suggestion in result.also_consider:
        if suggestion.framework not in shown:
            out += _suggestion_section(suggestion)
    out += _more(knowledge, state, result, day)
    return "\n".join(out).rstrip("\n") + "\n"


def _context(state: State, team: TeamResult | None = None) -> list[str]:
    lines = ["## Context and Problem Statement", ""]
    if state.text.strip():
        lines += ["In our own words:", "", "> " + text(state.text), ""]
    else:
        lines += ["We gave no description of the project; the answers below describe it.", ""]
    if team is not None:
        return lines + team_part.context(team)
    lines += ["Which Python web framework should we build it with? We answered the questions of the article's "
              "\u201cHow to choose\u201d section and followed its decision table.", ""]
    return lines


def _drivers(knowledge: Knowledge, state: State, result: Recommendation) -> list[str]:
    keywords = dict(state.from_text[: len(state.answers)])
    given = dict(state.answers)
    lines = ["## Decision Drivers", ""]
    for question in knowledge.questions:
        if question.id not in given:
            continue
        option = question.option(given[question.id] or "")
        if option is None:
            lines.append(f"* {text(question.short)}: open (we were not sure)")
            continue
        where = f" (from our description: \u201c{text(keywords[question.id])}\u201d)" if question.id in keywords else ""
        lines.append(f"* {text(question.short)}: {text(option.label)}{where}")
    for question_id in result.open_questions:
        open_question = knowledge.question(question_id)
        if open_question is not None and question_id not in given:
            lines.append(f"* {text(open_question.short)}: open (not asked yet, and it could change the outcome)")
    if len(lines) == 2:
        lines.append("* No question was answered: the outcome is the article's default.")
    return lines + [""]


def _considered(knowledge: Knowledge, result: Recommendation) -> list[Framework]:
    """The article's frameworks, and the pick even if it is not one of them."""
    return [f for f in knowledge.frameworks if f.in_article or f.id == result.framework]


def _considered_names(knowledge: Knowledge, result: Recommendation) -> list[str]:
    shown = {f.id for f in _considered(knowledge, result)}
    return [f.name for f in _considered(knowledge, result)] + [
        f"{s.name} (outside the article)" for s in result.also_consider if s.framework not in shown]


def _outcome(result: Recommendation, names: frozenset[str],
             think_twice: tuple[list[str], list[tuple[str, str]]], open_points: list[str]) -> list[str]:
    runner = f", runner-up {text(result.runner_up_name)}" if result.runner_up_name else ""
    lines = ["## Decision Outcome", "",
             f'Chosen option: "{text(result.name)}", because it comes out on top for our answers '
             f"(confidence: {text(result.confidence_said)}{runner}):", ""]
    lines += [f"* {text(reason)}" for reason in result.reasons]
    lines.append("")
    if result.decided_by:
        rule = DECIDED_BY.get(result.decided_by, result.decided_by)
        lines += [f"The step of the rule that decided: {text(rule)}.", ""]
    if result.margin_text:
        lines += [f"Margin: {text(result.margin_text)}", ""]
    if not result.settled:
        lines += ["This is not settled yet: we decided before every question that could change it was answered.", ""]
        if result.open_said:
            lines += [text(result.open_said), ""]
    lines += open_points
    lines += ["### Consequences", ""]
    lines += [f"* Good, because {text(sentence_tail(reason, names))}" for reason in result.reasons]
    bad, unknown = think_twice
    lines += [f"* Bad, because {text(sentence_tail(t, names))}" for t in bad]
    lines += [f"* Neutral, because we do not know yet whether {text(sentence_tail(t, names))} ({note})"
              for t, note in unknown]
    if not (bad or unknown):
        lines.append("* Bad, because none of the article's caveats about it applies: there is none to list.")
    lines += ["", "### Confirmation", "", "Revisit this decision if one of these answers changes:", ""]
    flips = [f"* {text(flip)}" for flip in change_lines(result)]
    lines += flips or ["* No single changed answer would change the pick."]
    return lines + [""]


def _points(knowledge: Knowledge, framework: Framework, answers: dict[str, str], unsure: set[str]
            ) -> dict[tuple[str, bool], list[tuple[str, str]]]:
    """The framework's article points by (kind, applies): applies True, or False for those
    whose question is still open (with why it is open). Points ruled out by an answer are left out."""
    found: dict[tuple[str, bool], list[tuple[str, str]]] = {}
    for rule in framework.rules:
        if rule.question is None or knowledge.question(rule.question) is None:
            continue
        if _applies(rule, answers):
            found.setdefault((rule.kind, True), []).append((rule.text, ""))
        elif rule.question not in answers:
            note = "we were not sure" if rule.question in unsure else "not asked"
            found.setdefault((rule.kind, False), []).append((rule.text, note))
    return found


def _pick_caveats(knowledge: Knowledge, state: State, result: Recommendation
                  ) -> tuple[list[str], list[tuple[str, str]]]:
    framework = knowledge.framework(result.framework)
    if framework is None:
        return [], []
    points = _points(knowledge, framework, state.answer_map(), {q for q, o in state.answers if o is None})
    return ([t for kind in WARNINGS for t, _ in points.get((kind, True), [])],
            [p for kind in WARNINGS for p in points.get((kind, False), [])])


def _framework_section(knowledge: Knowledge, framework: Framework, answers: dict[str, str], unsure: set[str],
                       ranks: dict[str, tuple[int, Ranked]], total: int, names: frozenset[str]) -> list[str]:
    lines = [f"### {text(framework.name)}", "", text(framework.summary)]
    if framework.id in ranks:
        n, ranked = ranks[framework.id]
        hard = f", {ranked.hard} hard mismatch{'es' if ranked.hard != 1 else ''}" if ranked.hard else ""
        warned = f"warnings \u2212{ranked.warnings:g}" if ranked.warnings else "no soft warning"
        lines[-1] += f" Ranked {n} of {total}: {ranked.points:g} points (fits {ranked.fit:g}, {warned}{hard})."
    lines.append("")
    points = _points(knowledge, framework, answers, unsure)
    good = [t for t, _ in points.get(("consider", True), [])]
    bad = [t for kind in WARNINGS for t, _ in points.get((kind, True), [])]
    neutral = [f"{t} (it fits if so; {note})" for t, note in points.get(("consider", False), [])]
    neutral += [f"{t} (think twice if so; {note})" for kind in WARNINGS for t, note in points.get((kind, False), [])]
    lines += [f"* Good, because {text(sentence_tail(t, names))}" for t in good]
    lines += [f"* Neutral, because {text(sentence_tail(t, names))}" for t in neutral]
    lines += [f"* Bad, because {text(sentence_tail(t, names))}" for t in bad]
    if not (good or bad or neutral):
        lines.append("* Neutral, because none of the article's points about it depends on our answers")
    return lines + [""]


def _suggestion_section(s: Suggestion) -> list[str]:
    lines = [f"### {text(s.name)} (outside the article)", "", f"* Good, because {text(s.reason)}"]
    if s.fact:
        lines.append(f"* Neutral, because {text(s.fact)}")
    lines += [f"* See {link(x.title, x.url)}" for x in s.links]
    return lines + [""]


def _more(knowledge: Knowledge, state: State, result: Recommendation, day: dt.date) -> list[str]:
    taken = len(result.prefilled)
    from_text = f", plus {taken} answer{'s' if taken != 1 else ''} taken from our description" if taken else ""
    lines = ["## More Information", "",
             f"* Confidence: {text(result.confidence_said)}; {result.questions_asked} "
             f"question{'s' if result.questions_asked != 1 else ''} asked{from_text}."]
    lines += ["", "Links:", ""] + [f"* {link(x.title, x.url)}" for x in result.links] if result.links else []
    lines += ["", f"Source: {text(SOURCE)}, as encoded in Framework Advisor's knowledge base.", "",
              f"Knowledge fingerprint: `{_fingerprint(knowledge)}` (produced by Framework Advisor on "
              f"{day.isoformat()}).", ""]
    return lines


def _fingerprint(knowledge: Knowledge) -> str:
    return re.sub(r"[^0-9a-f]", "", knowledge.fingerprint.lower()) or "unknown"
