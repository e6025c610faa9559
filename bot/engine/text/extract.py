"""extract(knowledge, text): the answers a project description gives, in the writer's words."""
from __future__ import annotations

from ..model import Knowledge
from .clean import clean
from .compare import comparisons, framework_words
from .decide import answers, shown
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
    compared = comparisons(knowledge.text, words)
    if compared:
        mentions = sorted(mentions + compared, key=lambda mention: mention.start)
    found = answers(knowledge, cleaned, mentions)
    return _with_stack(knowledge, m.stack.question, m.stack.read([w[0] for w in words]), cleaned, found)


def _with_stack(knowledge: Knowledge, question: str, stack: tuple[str, tuple[int, int]] | None, text: str,
                found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The current stack answers past success. An answer from the rest of the text that prevails
    ("but this one is completely different") stands; any other answer that differs leaves it open."""
    if stack is None:
        return found
    said = next((o for q, o, _ in found if q == question), None)
    if said == stack[0] or (question, said) in knowledge.text.prevail:
        return found
    rest = [a for a in found if a[0] != question]
    if said is not None:
        return rest
    start, end = stack[1]
    order = [q.id for q in knowledge.questions]
    return sorted([(question, stack[0], shown(text[start:end])), *rest], key=lambda a: order.index(a[0]))
