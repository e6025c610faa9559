"""The interactive terminal conversation."""
from __future__ import annotations

from typing import IO

from bot.engine.events import Answer, Back, Event, More, Restart, Skip
from bot.engine.replies import QuestionReply, Reply
from bot.service import Advisor, Outcome
from bot.store.base import Scope

from .render import render_text

KEYS: dict[str, type] = {"s": Skip, "b": Back, "r": Restart, "m": More}


def to_event(entry: str, reply: Reply | None) -> Event:
    """A typed line to an engine event. Raises ValueError with a message for the user."""
    entry = entry.strip().lower()
    if entry in KEYS:
        return KEYS[entry]()
    if isinstance(reply, QuestionReply):
        if entry.isdigit() and 1 <= int(entry) <= len(reply.options):
            return Answer(reply.question_id, reply.options[int(entry) - 1].id)
        if any(o.id == entry for o in reply.options):
            return Answer(reply.question_id, entry)
        raise ValueError(f"Type a number from 1 to {len(reply.options)}, or s, b, r or q.")
    raise ValueError("Type m for more questions, b to go back, r to restart or q to quit.")


def run(advisor: Advisor, scope: Scope, user: str, text: str, resume: bool, stdin: IO[str], out: IO[str]) -> int:
    def show(outcome: Outcome) -> Reply | None:
        if outcome.ok and outcome.reply is not None:
            if outcome.resumed and isinstance(outcome.reply, QuestionReply):
                out.write("(Resuming your conversation where you left it.)\n")
            out.write("\n" + render_text(outcome.reply) + "\n> ")
            out.flush()
            return outcome.reply
        out.write(f"! {outcome.message}\n> ")
        out.flush()
        return None

    out.write("Framework Advisor: answer a few questions and get a Python web framework recommendation.\n")
    outcome = advisor.current(scope, user) if resume and not text else None
    if outcome is None or not outcome.ok:
        outcome = advisor.start(scope, user, text)
    reply = show(outcome)
    for line in stdin:
        if line.strip().lower() in {"q", "quit", "exit"}:
            break
        if not line.strip():
            out.write("> ")
            out.flush()
            continue
        try:
            event = to_event(line, reply)
        except ValueError as exc:
            out.write(f"! {exc}\n> ")
            out.flush()
            continue
        result = advisor.act(scope, user, event)
        if result.status == "expired":
            result = advisor.start(scope, user)
        shown = show(result)
        reply = shown if shown is not None else reply
    out.write("\n")
    return 0
