"""From mentions to answers, one question at a time.

- The same keyword both said and negated is a contradiction, and a veto ("we want to try
  FastAPI this time") speaks against any answer: the question is left alone. An option said
  again after being negated, in other words, is said ("no GraphQL, plain REST is fine").
- A shift ("at work", "this side project") answers nothing alone; beside another option it
  takes its own: the team's framework is used elsewhere, not for the new app. Unless the text
  says the new app is like the old ("another internal tool", "pretty similar").
- A negated option is ruled out. Ruling out answers nothing by itself; an implication in
  text.yaml may name what it does answer ("we don't need websockets": real-time No).
- An option that prevails (text.yaml) wins over the question's other options: "we love
  Flask, but this is a different kind of app" is not experience with Flask.
- Otherwise an option is taken if no other is mentioned, or if it leads every other by
  `margin` mentions; two options close to each other are a guess the bot does not make.
"""
from __future__ import annotations

from ..model import Knowledge, Question
from ..textrules import SAME, SHIFT, VETO, TextRules
from .mention import Mention

MAX_SHOWN = 80  # characters of the writer's words shown for one answer


def answers(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[tuple[str, str, str]]:
    rules = knowledge.text
    by_question: dict[str, list[Mention]] = {}
    for m in mentions:
        for q in {q for q, _ in m.targets}:
            by_question.setdefault(q, []).append(m)
    found = []
    for question in knowledge.questions:
        taken = _decide(rules, question, text, by_question.get(question.id, [])) if question.id in by_question else None
        if taken is not None:
            option, (start, end) = taken
            found.append((question.id, option, shown(text[start:end])))
    return found


def _decide(rules: TextRules, question: Question, text: str,
            mentions: list[Mention]) -> tuple[str, tuple[int, int]] | None:
    said: dict[str, list[tuple[int, int]]] = {}
    negated: dict[str, list[tuple[int, int]]] = {}
    words: dict[tuple[str, int], set[str]] = {}  # (option, polarity) -> the keywords, as written
    for m in mentions:
        for q, o in m.targets:
            if q != question.id:
                continue
            polarity = m.polarity(q)
            if polarity:
                span = (m.start, m.end) if polarity > 0 else m.span()
                (said if polarity > 0 else negated).setdefault(o, []).append(span)
                words.setdefault((o, polarity), set()).add(" ".join(text[m.start:m.end].lower().split()))
    if VETO in said:
        return None
    for o in set(said) & set(negated):
        if words[(o, 1)] & words[(o, -1)] or min(said[o])[0] < min(negated[o])[0]:
            # the same words said and negated, or said and then taken back ("stability over
            # speed: performance is secondary"): a contradiction
            return None
        del negated[o]  # "GraphQL is not needed, plain REST is fine": said after, in other words
    same = said.pop(SAME, None)
    negated.pop(SAME, None)
    for o in [o for o in (*said, *negated) if o.startswith(SHIFT)]:
        spans = said.pop(o, [])
        negated.pop(o, None)
        if said and spans and not same:  # "we use FastAPI at work; this side project is a blog"
            said.setdefault(o[len(SHIFT):], []).extend(spans)
    for rule in rules.implications:
        if rule.question == question.id and rule.ruled_out <= negated.keys() and rule.take not in negated:
            spans = [s for o in rule.ruled_out for s in negated[o]]
            said.setdefault(rule.take, []).append((min(s for s, _ in spans), max(e for _, e in spans)))
    if not said:
        return None
    for q, o in rules.prevail:
        if q == question.id and o in said:
            return o, said[o][0]
    ranked = sorted(said.items(), key=lambda item: -len(item[1]))
    if len(ranked) > 1 and len(ranked[0][1]) - len(ranked[1][1]) < rules.margin:
        return None
    option, spans = ranked[0]
    return option, min(spans)


def shown(words: str) -> str:
    words = " ".join(words.split())
    if len(words) <= MAX_SHOWN:
        return words
    return words[: MAX_SHOWN - 1].rsplit(" ", 1)[0] + "\u2026"
