"""`python -m bot knowledge check [DIR]`: validate a knowledge directory.

The CLI (bot/cli.py) calls check_command; it prints `OK: ...` and the precedence found on stdout and returns 0,
or prints one `file:line: message` per problem on stderr and returns 1. A valid knowledge base that a
platform cannot show in full (more answers than its menus hold, labels it shortens) gets `warning: ...`
lines on stdout (the CLI passes bot.adapters.limits.warnings: the knowledge knows no platform);
they do not change the exit code.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.engine.model import Knowledge

from .loader import KnowledgeError, load_knowledge
from .precedence import describe

ENV_VAR = "ADVISOR_KNOWLEDGE"
CONTAINER_DIR = Path("/app/knowledge")


def default_knowledge_dir() -> Path:
    """$ADVISOR_KNOWLEDGE, else <repo>/knowledge next to the bot package, else /app/knowledge."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parents[2] / "knowledge"
    if beside.is_dir():
        return beside
    return CONTAINER_DIR


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def check_command(directory: str | os.PathLike[str] | None = None,
                  warnings: Callable[[Knowledge], Iterable[str]] = lambda knowledge: ()) -> int:
    """Validate `directory` (default: default_knowledge_dir()). Returns the exit code.
    `warnings`: what a valid knowledge base cannot show in full, one line each."""
    path = Path(directory) if directory else default_knowledge_dir()
    try:
        knowledge = load_knowledge(path)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {_display(path)}", file=sys.stderr)
        return 1
    article = sum(f.in_article for f in knowledge.frameworks)
    extra = len(knowledge.frameworks) - article
    tiers = f", {extra} more outside it ({len(knowledge.suggestion_rules)} also-consider rules)" if extra else ""
    print(f"OK: {len(knowledge.questions)} questions, {article} frameworks from the article{tiers} ({_display(path)})")
    for line in describe(knowledge):
        print(line)
    for line in warnings(knowledge):
        print(f"warning: {line}")
    return 0
