"""Preferences ("prefer X over Y", "X over Y") and the comma-list lookahead for the walk in scope.py.

"over" and "prefer" are payload kinds of their own rather than cues because what they negate
depends on what came before them in the sentence, which only the walk knows.
"""
from __future__ import annotations

from ..textrules import BEFORE, NEGATE, NEXT
from .reach import LIST_OR, Reach
from .tokens import COMMA, WORD, Token
from .trie import Match, Word
from .walkstate import WalkState

PREFERENCE = ("prefer", "over")  # payload kinds read by _over
OVER_REACH = 3  # words from "over" to the alternative it puts second ("server-rendered over an SPA")
LIST_LOOKAHEAD = 6  # words after a comma searched for the "or" that makes it one list


def list_goes_on(words: list[Word], i: int) -> bool:
    """The item after this comma is joined by "or" / "nor": "no websockets, GraphQL or admin",
    also after a serial comma: "no need for an ORM, the admin site, or the layout"."""
    for tok, _ in words[i:i + LIST_LOOKAHEAD]:
        if tok[0] != WORD and tok[0] != COMMA:
            return False
        if tok[1] in LIST_OR:
            return True
    return False


class Preferring(WalkState):
    """The walk's handling of preference words; a mixin of scope._Walk, whose state it reads."""

    def match(self, match: Match, first: Token, end: int) -> None:
        payloads = match.payloads
        kinds = {p[0] for p in payloads} if len(payloads) > 1 or payloads[0][0] in PREFERENCE else set()
        if "prefer" not in kinds and "over" not in kinds:
            self._match(payloads, first[2], end)
        elif not self._over(kinds, first[2], end):
            rest = tuple(p for p in payloads if p[0] not in PREFERENCE)
            if rest:
                self._match(rest, first[2], end)
            else:
                self._word(first[1])
            if "prefer" in kinds:
                self.preferring, self.preferred = self.words, len(self.found)

    def _over(self, kinds: set[str], start: int, end: int) -> bool:
        """"we'd prefer server-rendered over an SPA", "rather lightweight than opinionated": after a
        preference word and what is preferred, "over" negates what follows. Without one, "X over Y"
        negates Y only when it is another answer to X's question ("CRUD over a simple schema"
        negates nothing). True if "over" acted."""
        if kinds != {"over"}:
            return False
        if 0 <= self.preferring < self.words:
            self._cue(NEGATE, BEFORE, frozenset(), start, end)
            return True
        if self.recent and self.gap == 0:
            against = tuple(t for m in self.recent for t in m.targets)
            self.reaches.append(Reach(NEGATE, NEXT, frozenset(), OVER_REACH, start, against=against))
            self.words += 1
            return True
        return False
