"""The JSON-lines protocol: one JSON object per bot turn on stdout, one per user turn on stdin."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import IO, Any

from bot.engine.events import Answer, Back, Decide, Event, More, Restart, Skip
from bot.engine.model import Link
from bot.engine.replies import (AboutReply, CompareReply, HelpReply, QuestionReply, Recommendation, Reply,
                                WhatIfReply)
from bot.export.madr import LOCAL_DECIDER
from bot.service.advisor import Advisor
from bot.service.outcome import Outcome
from bot.store.base import Scope


@dataclass(frozen=True)
class Query:
    """A line that reads the conversation without changing it: export, compare, whatif."""

    action: str
    question: str = ""
    option: str = ""


def _recommendation(reply: Recommendation) -> dict[str, Any]:
    return {
        "framework": reply.framework,
        "runner_up": reply.runner_up,
        "confidence": reply.confidence,
        "confidence_basis": reply.confidence_basis,
        "decided_by": reply.decided_by,
        "margin": reply.margin,
        "margin_text": reply.margin_text,
        "settled": reply.settled,
        "open_questions": list(reply.open_questions),
        # not settled: each combination of answers to the open questions counted once
        "open_wins": {"total": reply.open_total,
                      "wins": [{"framework": w.framework, "count": w.count} for w in reply.open_wins]},
        # the rule's order with its own figures: points = fit - warnings; hard mismatches first
        "ranking": [{"framework": r.framework, "points": r.points, "fit": r.fit, "warnings": r.warnings,
                     "hard": r.hard} for r in reply.ranking],
        "reasons": list(reply.reasons),
        "caveats": list(reply.caveats),
        "flips": list(reply.flips),
        "changes": [{"question": c.question, "option": c.option, "framework": c.framework, "label": c.whatif}
                    for c in reply.changes],
        "links": [{"title": link.title, "url": link.url, "kind": link.kind} for link in reply.links],
        "also_consider": [
            {"framework": s.framework, "name": s.name, "reason": s.reason, "fact": s.fact, "as_of": s.as_of,
             "links": _links(s.links)}
            for s in reply.also_consider
        ],
    }


def render(reply: Reply, resumed: bool = False) -> dict[str, Any]:
    """A reply as a plain dict, in the documented protocol shape."""
    if isinstance(reply, QuestionReply):
        out: dict[str, Any] = {
            "type": "question",
            "question": {
                "id": reply.question_id,
                "text": reply.text,
                "options": [{"id": o.id, "label": o.label} for o in reply.options],
            },
            "asked": reply.asked,
            "remaining_at_most": reply.remaining_at_most,
            "prefilled": {p.question: p.option for p in reply.prefilled},
        }
        if reply.previous is not None:
            out["previous"] = reply.previous
        if reply.help:
            out["question"]["help"] = reply.help
        if resumed:
            out["resumed"] = True
        return out
    if isinstance(reply, Recommendation):
        out = {
            "type": "recommendation",
            "recommendation": _recommendation(reply),
            "questions_asked": reply.questions_asked,
            "prefilled": {p.question: p.option for p in reply.prefilled},
        }
        if resumed:
            out["resumed"] = True
        return out
    if isinstance(reply, AboutReply):
        framework = asdict(reply.framework)
        framework["sources"] = _links(reply.framework.sources)
        framework["facts"] = [{"key": fact.key, "label": label, "text": fact.text, "unconfirmed": fact.unconfirmed,
                               "source": _links((fact.source,))[0]}
                              for label, group in reply.framework.facts for fact in group]
        return {"type": "about", "in_article": reply.framework.in_article, "sources": framework["sources"],
                "framework": framework}
    if isinstance(reply, CompareReply):
        out = {"type": "compare", "frameworks": list(reply.frameworks),
               "rows": [{"label": r.label, "dimension": r.dimension, "values": list(r.values),
                         **({"answer": r.answer} if r.answer else {})} for r in reply.rows]}
        if reply.pick:
            out["pick"] = reply.pick
        if reply.note:
            out["note"] = reply.note
        return out
    if isinstance(reply, WhatIfReply):
        return {"type": "whatif", "question": reply.question, "option": reply.option,
                "before": _recommendation(reply.before), "after": _recommendation(reply.after)}
    if isinstance(reply, HelpReply):
        return {"type": "help", "commands": [list(c) for c in reply.commands]}
    raise TypeError(f"cannot render {type(reply).__name__}")


def _links(links: tuple[Link, ...]) -> list[dict[str, str]]:
    return [{"title": link.title, "url": link.url} for link in links]


def parse(line: str, pending: str | None) -> Event | Query:
    """One input line to an engine event. Raises ValueError with a user-facing message."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise ValueError("Each line must be a JSON object, e.g. {\"answer\": \"api\"}.") from None
    if not isinstance(data, dict):
        raise ValueError("Each line must be a JSON object, e.g. {\"answer\": \"api\"}.")
    if "answer" in data:
        option, question = data["answer"], data.get("question", pending)
        if not isinstance(option, str) or not isinstance(question, (str, type(None))):
            raise ValueError("\"answer\" must be an option id string.")
        if question is None:
            raise ValueError("There is no open question to answer; "
                             "send {\"action\": \"more\"} or {\"action\": \"restart\"}.")
        return Answer(question, option)
    actions: dict[str, Callable[[], Event]] = {"skip": Skip, "back": Back, "restart": Restart, "more": More,
                                               "decide": Decide}
    action = data.get("action")
    if isinstance(action, str) and action in actions:
        return actions[action]()
    if action in ("export", "compare"):
        return Query(action)
    if action == "whatif":
        question, option = data.get("question"), data.get("option")
        if not isinstance(question, str) or not isinstance(option, str):
            raise ValueError("\"whatif\" needs \"question\" and \"option\" ids, e.g. "
                             "{\"action\": \"whatif\", \"question\": \"performance\", \"option\": \"critical\"}.")
        return Query(action, question, option)
    raise ValueError("Unknown input. Use {\"answer\": \"<option id>\"} or "
                     "{\"action\": \"skip|back|decide|restart|more|export|compare|whatif\"}.")


def query(advisor: Advisor, scope: Scope, user: str, q: Query) -> dict[str, Any]:
    """Answer a Query; the conversation is left exactly as it was."""
    if q.action == "export":
        outcome = advisor.export(scope, user, [LOCAL_DECIDER])
        if not outcome.ok or outcome.record is None:
            return {"type": "error", "message": outcome.message}
        r = outcome.record
        return {"type": "export", "format": r.format, "filename": r.filename, "markdown": r.markdown}
    outcome = (advisor.matrix(scope, user) if q.action == "compare"
               else advisor.whatif(scope, user, q.question, q.option))
    if not outcome.ok or outcome.reply is None:
        return {"type": "error", "message": outcome.message}
    return render(outcome.reply)


def _emit(out: IO[str], obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def _emit_outcome(out: IO[str], outcome: Outcome) -> None:
    if outcome.ok and outcome.reply is not None:
        _emit(out, render(outcome.reply, outcome.resumed))
    else:
        _emit(out, {"type": "error", "message": outcome.message})


def run(advisor: Advisor, scope: Scope, user: str, text: str, resume: bool, stdin: IO[str], out: IO[str]) -> int:
    """Hold one conversation. Returns 0 once stdin closes after a recommendation, 1 if it
    closes while a question is still open (the conversation stays saved for --user)."""
    outcome = advisor.current(scope, user) if resume and not text else None
    if outcome is None or not outcome.ok:
        outcome = advisor.start(scope, user, text)
    _emit_outcome(out, outcome)
    last = outcome.reply
    for line in stdin:
        if not line.strip():
            continue
        pending = last.question_id if isinstance(last, QuestionReply) else None
        try:
            event = parse(line, pending)
        except ValueError as exc:
            _emit(out, {"type": "error", "message": str(exc)})
            continue
        if isinstance(event, Query):
            _emit(out, query(advisor, scope, user, event))
            continue
        outcome = advisor.act(scope, user, event)
        _emit_outcome(out, outcome)
        if outcome.ok:
            last = outcome.reply
        elif outcome.status == "expired":
            outcome = advisor.start(scope, user)
            _emit_outcome(out, outcome)
            last = outcome.reply
    return 0 if isinstance(last, Recommendation) else 1
