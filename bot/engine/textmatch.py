"""Pre-answer questions from a free-text description, using keywords kept in the knowledge."""
from __future__ import annotations

import re

from .model import Knowledge

MAX_TEXT = 2000  # a description longer than this is cut: enough for any real sentence


def _patterns(knowledge: Knowledge) -> list[tuple[str, list[tuple[str, re.Pattern[str]]]]]:
    cached = knowledge.memo.get("keywords")
    if cached is None:
        cached = []
        for q in knowledge.questions:
            opts = []
            for o in q.options:
                if o.keywords:
                    words = sorted(o.keywords, key=len, reverse=True)
                    alternation = "|".join(re.escape(w.lower()) for w in words)
                    opts.append((o.id, re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")))
            cached.append((q.id, opts))
        knowledge.memo["keywords"] = cached
    return cached  # type: ignore[return-value]


def description(text: str) -> str:
    """The free text as kept and matched: cut at MAX_TEXT, whitespace collapsed."""
    return " ".join(text[:MAX_TEXT].split())


def extract(knowledge: Knowledge, text: str) -> list[tuple[str, str, str]]:
    """(question id, option id, matched keyword) for each question the text clearly answers.

    A question whose keywords point at two options equally is left alone: guessing
    there would put words in the user's mouth.
    """
    lowered = description(text).lower()
    if not lowered:
        return []
    found = []
    for question_id, options in _patterns(knowledge):
        hits = []
        for option_id, pattern in options:
            matches = pattern.findall(lowered)
            if matches:
                hits.append((len(matches), option_id, matches[0]))
        if not hits:
            continue
        hits.sort(key=lambda h: -h[0])
        if len(hits) > 1 and hits[0][0] == hits[1][0]:
            continue
        found.append((question_id, hits[0][1], hits[0][2]))
    return found
