"""How far a cue reaches: the state each live cue carries through the walk in scope.py."""
from __future__ import annotations

from dataclasses import dataclass

POST_GAP = 4  # words allowed between a mention and an `after` cue that reaches it
NEXT_REACH = 2  # words a `next` cue reaches
LIST_OR = ("or", "nor")  # the connectors of a negated list


@dataclass
class Reach:
    effect: str
    kind: str  # BEFORE, NEXT, PHRASE or SENTENCE
    questions: frozenset[str]
    left: int
    start: int
    parity: int = 1
    covered: bool = False  # it has reached a mention
    content: int = 0  # words other than fillers since the cue or its last mention
    after_comma: bool = False  # a comma since that mention: only a list may continue
    reached: tuple[tuple[str, str], ...] = ()  # what it has negated so far
    against: tuple[tuple[str, str], ...] = ()  # "X over Y": negates only another answer to X's questions
    or_only: bool = False  # a keyword's own negation: goes on over "or" and "nor" only
    item: bool = False  # it opens an item of a comma list: "low traffic, no realtime, small team" ends at the comma


def other_answer(reached: tuple[tuple[str, str], ...], targets: tuple[tuple[str, str], ...]) -> bool:
    """Some target answers a question already reached, differently: an alternative, not a list item."""
    return any(q == rq and o != ro for q, o in targets for rq, ro in reached)
