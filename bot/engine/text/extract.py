"""extract(knowledge, text): the answers a project description gives, in the writer's words."""
from __future__ import annotations

import re

from ..model import Knowledge
from .clean import clean
from .compare import comparisons, framework_words
from .decide import answers, shown
from .mention import ALL, Mention
from .phrases import matcher
from .scope import Scoper
from .tokens import tokenize


def extract(knowledge: Knowledge, text: str) -> list[tuple[str, str, str]]:
    """(question id, option id, the writer's words) for each question the text clearly answers.

    Pure and bounded: at most MAX_RAW characters are read, whatever the input's size.
    """
    cleaned = clean(text)
    if not cleaned.strip():
        return []
    m = matcher(knowledge)
    words = m.words(cleaned, tokenize(cleaned, m.spellings))
    mentions = Scoper(knowledge.text).mentions(words, m.find(words))
    framework_words(m.framework_names, cleaned, words, mentions)
    _quoted(cleaned, mentions)
    compared = comparisons(knowledge.text, words)
    if compared:
        mentions = sorted(mentions + compared, key=lambda mention: mention.start)
    found = answers(knowledge, cleaned, mentions)
    stack = m.stack.read([w[0] for w in words])
    return _with_stack(knowledge, m.stack.question, stack, mentions, cleaned, found) if stack else found


# Someone's words in quotes, three words or more: '"Use FastAPI, it's async and fast" is the
# advice I keep getting'. (One or two words in quotes are the writer's own: 'a "hello world" app'.)
QUOTED = re.compile(r'["\u201c]([^"\u201c\u201d\n]{1,400})["\u201d]')
QUOTED_WORDS = 3


def _quoted(text: str, mentions: list[Mention]) -> None:
    for q in QUOTED.finditer(text):
        if len(q.group(1).split()) >= QUOTED_WORDS:
            for m in mentions:
                if q.start(1) <= m.start < q.end(1):
                    m.cancelled.add(ALL)


def _with_stack(knowledge: Knowledge, question: str, stack: tuple[str, tuple[int, int]], mentions: list[Mention],
                text: str, found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The current stack answers past success. An answer from the rest of the text that prevails
    ("but this one is completely different") stands; any other answer that differs, or the same
    one negated ("none of us has shipped a Django app"), leaves it open."""
    said = next((o for q, o, _ in found if q == question), None)
    if said == stack[0] or (question, said) in knowledge.text.prevail:
        return found
    rest = [a for a in found if a[0] != question]
    denied = any((question, stack[0]) in m.targets and m.polarity(question) < 0 for m in mentions)
    if said is not None or denied:
        return rest
    start, end = stack[1]
    order = [q.id for q in knowledge.questions]
    return sorted([(question, stack[0], shown(text[start:end])), *rest], key=lambda a: order.index(a[0]))
