"""The interactive terminal conversation."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

from bot.engine.events import Answer, Back, Decide, Event, More, Restart, Skip
from bot.engine.replies import QuestionReply, Recommendation, Reply, WhatIfReply
from bot.export.madr import LOCAL_DECIDER
from bot.service.advisor import Advisor
from bot.service.outcome import Outcome
from bot.store.base import Scope

from .render import render_text

KEYS: dict[str, Callable[[], Event]] = {"s": Skip, "b": Back, "d": Decide, "r": Restart, "m": More}
_WHATIF = re.compile(r"^w(\d{1,2})$")


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
        raise ValueError(f"Type a number from 1 to {len(reply.options)}, or s, b, d, r or q.")
    if isinstance(reply, WhatIfReply):
        raise ValueError("Type a to go back to your answers, or q to quit.")
    raise ValueError("Type e to export, c to compare, m for more questions, b to go back, r to restart or q to quit.")


def write_record(outcome: Outcome, directory: Path) -> Path:
    """Write the exported record into `directory` without overwriting an earlier one."""
    assert outcome.record is not None
    stem = outcome.record.filename.removesuffix(".md")
    path, n = directory / outcome.record.filename, 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}.md"
    path.write_text(outcome.record.markdown, encoding="utf-8")
    return path


def run(advisor: Advisor, scope: Scope, user: str, text: str, resume: bool, stdin: IO[str], out: IO[str],
        directory: Path | None = None) -> int:
    def say(message: str) -> None:
        out.write(message + "\n> ")
        out.flush()

    def show(outcome: Outcome) -> Reply | None:
        if outcome.ok and outcome.reply is not None:
            if outcome.resumed and isinstance(outcome.reply, QuestionReply):
                out.write("(Resuming your conversation where you left it.)\n")
            say("\n" + render_text(outcome.reply))
            return outcome.reply
        say(f"! {outcome.message}")
        return None

    out.write("Framework Advisor: answer a few questions and get a Python web framework recommendation.\n")
    outcome = advisor.current(scope, user) if resume and not text else None
    if outcome is None or not outcome.ok:
        outcome = advisor.start(scope, user, text)
    reply = show(outcome)
    for line in stdin:
        entry = line.strip().lower()
        if entry in {"q", "quit", "exit"}:
            break
        if not entry:
            say("")
            continue
        whatif = _WHATIF.match(entry)
        if isinstance(reply, Recommendation) and entry == "e":
            exported = advisor.export(scope, user, [LOCAL_DECIDER])
            say(f"Wrote {write_record(exported, directory or Path.cwd())}" if exported.ok else f"! {exported.message}")
            continue
        if isinstance(reply, Recommendation) and entry == "c":
            show(advisor.matrix(scope, user))
            continue
        if isinstance(reply, Recommendation) and whatif:
            n = int(whatif.group(1))
            if not 1 <= n <= len(reply.changes):
                say(f"! There is no what-if number {n}.")
                continue
            change = reply.changes[n - 1]
            reply = show(advisor.whatif(scope, user, change.question, change.option)) or reply
            continue
        if isinstance(reply, WhatIfReply) and entry == "a":
            reply = show(advisor.current(scope, user)) or reply
            continue
        try:
            event = to_event(line, reply)
        except ValueError as exc:
            say(f"! {exc}")
            continue
        result = advisor.act(scope, user, event)
        if result.status == "expired":
            result = advisor.start(scope, user)
        shown = show(result)
        reply = shown if shown is not None else reply
    out.write("\n")
    return 0
