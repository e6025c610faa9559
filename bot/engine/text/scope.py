"""NegEx-style cues applied to the keyword mentions they reach (Chapman et al., 2001).

A `before` cue reaches forward until the clause ends (a contrast word such as "but", a
clause starter such as "we", a bracket or a sentence end) or `window` words pass without
a mention; each mention it reaches renews the window, so "we don't need websockets,
GraphQL or an admin panel" negates all three. After a comma it goes on only over a list:
"we don't need websockets, prefer batteries included" negates websockets alone. An `after`
cue reaches back to the mention just before it and the list joined to it (mention.py).
Two negations of one mention cancel out ("there's no way we don't need an admin", "Flask
isn't fast enough"). A cancelling cue (a hedge, someone else's suggestion) wins over all.
Labels, short questions and lone cues are answered in answers.py; cues.py, matching.py and
prefer.py hold the rest of the walk, reach.py the state each live cue carries.
"""
from __future__ import annotations

from ..textrules import BEFORE, NEXT, PHRASE, SENTENCE, TextRules
from .answers import Pending
from .cues import Cueing
from .matching import Matching
from .mention import ALL, Mention
from .prefer import Preferring, list_goes_on
from .reach import LIST_OR, Reach
from .tokens import BREAK, COMMA, STOP, WORD, Token
from .trie import Match


class Scoper:
    def __init__(self, rules: TextRules) -> None:
        self.window = rules.window
        self.starters = frozenset(rules.clause_starters)
        self.objects = frozenset(rules.objects)
        self.connectors = frozenset(rules.connectors)
        self.fillers = frozenset(rules.fillers)
        self.over_after_keyword = frozenset(rules.over_after_keyword)

    def mentions(self, words: list[tuple[Token, frozenset[int]]], matches: list[Match]) -> list[Mention]:
        walk = _Walk(self)
        at = {m.start: m for m in matches}
        i = 0
        while i < len(words):
            match = at.get(i)
            if match is None:
                walk.token(words[i][0], words[i][0][0] == COMMA and list_goes_on(words, i + 1))
                i += 1
                continue
            walk.match(match, words[match.start][0], words[match.end - 1][0][3])
            i = match.end
        walk.token((STOP, ".", 0, 0))
        return walk.found

    def filler(self, word: str) -> bool:
        return word in self.fillers or word.isdigit()


class _Walk(Preferring, Cueing, Matching):
    """One pass over a text's tokens; its steps are split by concern across the mixins, its
    state is declared in walkstate.WalkState."""

    def __init__(self, scoper: Scoper) -> None:
        self.s = scoper
        self.found: list[Mention] = []
        self.reaches: list[Reach] = []
        self.recent: list[Mention] = []
        self.gap = 0
        self.list_broken = True
        self.comma_since_mention = False
        self.after_comma = False
        self.sentence: list[Mention] = []
        self.clause: list[Mention] = []
        self.words = 0
        self.pending = Pending()
        self.contrasted: list[Mention] = []
        self.turned: list[Mention] = []
        self.conceded: list[Mention] = []
        self.preferring = -1
        self.preferred = -1
        self.hedged = False

    def token(self, tok: Token, list_goes_on: bool = False) -> None:
        kind, word = tok[0], tok[1]
        if kind != WORD:
            self.pending.clause_end(colon=kind == BREAK and word == ":")
        self.after_comma = kind in (COMMA, BREAK)
        if kind == STOP:
            if word == "?" and self.hedged:
                # "could be good for a quick prototype?": a hedged question asks, it does not tell
                for m in self.sentence:
                    m.cancelled.add(ALL)
            self.pending.sentence_end(word == "?", self.sentence, self.words)
            self.preferring, self.preferred, self.hedged = -1, -1, False
            self.reaches, self.recent, self.sentence, self.words, self.contrasted = [], [], [], 0, []
            self.turned, self.conceded, self.clause = [], [], []
        elif kind == BREAK and word == ":":
            # "Admin panel: not needed", "Nice to have: GraphQL": a label and what it labels
            if self.reaches:
                self._keep(lambda r: r.kind in (SENTENCE, PHRASE) or (r.kind == BEFORE and not r.covered))
            self.pending.colon(self.recent)
        elif kind == BREAK:
            if self.reaches:
                self._keep(lambda r: r.kind == SENTENCE)
            self.recent = []
        elif kind == COMMA:
            # "No, we need an API": a cue that reached nothing ends at a comma, unless the comma is in
            # a list joined by "or" ("I don't need the template engine, the admin panel or the ORM").
            # One that reached something goes on only over a list ("no websockets, GraphQL or
            # admin"): the next content word ends it.
            self.comma_since_mention = True
            if self.reaches:
                self._keep(lambda r: r.kind == SENTENCE
                           or (r.kind == BEFORE and (r.covered or list_goes_on) and (list_goes_on or not r.item)))
            for r in self.reaches:
                r.after_comma = True
                if list_goes_on and r.kind == BEFORE:  # the list goes on: so does the cue's reach
                    r.left = max(r.left, self.s.window)
        else:
            self._word(word)

    def _word(self, word: str) -> None:
        if (word in self.s.over_after_keyword and 0 <= self.preferred < len(self.found) and self.recent
                and self.gap == 0):
            self._over({"over"}, -1, -1)  # "prefer Jinja templates to an SPA"
            return
        self.words += 1
        self.pending.dangling = None
        if word in self.s.starters or word in self.s.objects:
            # A new clause ends a cue's reach, unless the cue came right before it and is still
            # waiting for what it negates: "not that we don't need ...", "no way we don't ...".
            waiting = word not in self.s.objects  # "ditch it for ...": the cue has its object
            if self.reaches:
                self._keep(lambda r: r.kind in (PHRASE, SENTENCE)
                           or (waiting and r.kind == BEFORE and not r.covered and not r.content))
            self.recent = []
            return
        self.gap += 1
        if word in self.s.connectors:
            if self.reaches and word not in LIST_OR:
                self._keep(lambda r: not r.or_only)
            return
        if not self.s.filler(word):
            self.pending.word()
            if self.comma_since_mention:  # "prototype now, production later": a new clause
                self.recent = []
            self.list_broken = True
            if self.reaches:
                self._keep(lambda r: not r.after_comma or r.kind == SENTENCE)
            for r in self.reaches:
                r.content += 1
        if self.reaches:
            self._words_pass()

    def _words_pass(self) -> None:
        for r in self.reaches:
            if r.kind in (BEFORE, NEXT):
                r.left -= 1
        if self.reaches:
            self._keep(lambda r: r.left > 0 or r.kind not in (BEFORE, NEXT))
