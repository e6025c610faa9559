"""extract(knowledge, text): the answers a project description gives, in the writer's words."""
from __future__ import annotations

from ..model import Knowledge
from .clean import clean
from .compare import comparisons
from .decide import answers
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
    compared = comparisons(knowledge.text, words)
    if compared:
        mentions = sorted(mentions + compared, key=lambda mention: mention.start)
    return answers(knowledge, cleaned, mentions)
