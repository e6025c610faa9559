"""NegEx-style cues applied to the keyword mentions they reach (Chapman et al., 2001).

A `before` cue reaches forward until the clause ends (a contrast word such as "but", a
clause starter such as "we", a bracket or a sentence end) or `window` words pass without
a mention; each mention it reaches renews the window, so "we don't need websockets,
GraphQL or an admin panel" negates all three. After a comma it goes on only over a list:
"we don't need websockets, prefer batteries included" negates websockets alone. An `after`
cue reaches back to the mention just before it and the list joined to it (mention.py).
Two negations of one mention cancel out ("there's no way we don't need an admin", "Flask
isn't fast enough"). A cancelling cue (a hedge, someone else's suggestion) wins over all.
Labels, short questions and lone cues are answered in answers.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..textrules import (
    AFFIRM,
    AFTER,
    BEFORE,
    CANCEL,
    NEGATE,
    NEXT,
    PHRASE,
    SENTENCE,
    TextRules,
)
from .answers import Pending
from .mention import ALL, Mention, look_back
from .phrases import CONCORD
from .tokens import BREAK, COMMA, STOP, WORD, Token
from .trie import Match, Word

POST_GAP = 4  # words allowed between a mention and an `after` cue that reaches it
NEXT_REACH = 2  # words a `next` cue reaches
PREFERENCE = ("prefer", "over")  # payload kinds read by _over
OVER_REACH = 3
LIST_OR = ("or", "nor")  # the connectors of a negated list
LIST_LOOKAHEAD = 6  # words after a comma searched for the "or" that makes it one list  # words from "over" to the alternative it puts second ("server-rendered over an SPA")


@dataclass
class _Reach:
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


class Scoper:
    def __init__(self, rules: TextRules) -> None:
        self.window = rules.window
        self.starters = frozenset(rules.clause_starters)
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
                walk.token(words[i][0], words[i][0][0] == COMMA and self._list_goes_on(words, i + 1))
                i += 1
                continue
            walk.match(match, words[match.start][0], words[match.end - 1][0][3])
            i = match.end
        walk.token((STOP, ".", 0, 0))
        return walk.found

    def _list_goes_on(self, words: list[Word], i: int) -> bool:
        """The item after this comma is joined by "or" / "nor": "no websockets, GraphQL or admin"."""
        for tok, _ in words[i:i + LIST_LOOKAHEAD]:
            if tok[0] != WORD:
                return False
            if tok[1] in LIST_OR:
                return True
        return False

    def filler(self, word: str) -> bool:
        return word in self.fillers or word.isdigit()


class _Walk:
    def __init__(self, scoper: Scoper) -> None:
        self.s = scoper
        self.found: list[Mention] = []
        self.reaches: list[_Reach] = []
        self.recent: list[Mention] = []  # the mention (or list) an `after` cue would reach
        self.gap = 0  # words since the last mention
        self.list_broken = True
        self.comma_since_mention = False
        self.after_comma = False  # the last token was a comma or bracket
        self.sentence: list[Mention] = []
        self.words = 0  # words in the current sentence
        self.pending = Pending()
        self.contrasted: list[Mention] = []  # the mentions just before a contrast word
        self.preferring = -1  # words in the sentence when a preference word ("prefer") was read
        self.preferred = -1  # mentions found by then
        self.hedged = False  # the sentence has a hedge that speaks of every question

    def _keep(self, keep) -> None:
        self.reaches = [r for r in self.reaches if keep(r)]

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
            # "No, we need an API": a cue that reached nothing ends at a comma. One that did goes on
            # only over a list ("no websockets, GraphQL or admin"): the next content word ends it.
            self.comma_since_mention = True
            if self.reaches:
                self._keep(lambda r: r.kind == SENTENCE or (r.kind == BEFORE and r.covered and (list_goes_on or not r.item)))
            for r in self.reaches:
                r.after_comma = True
        else:
            self._word(word)

    def _word(self, word: str) -> None:
        if (word in self.s.over_after_keyword and 0 <= self.preferred < len(self.found) and self.recent
                and self.gap == 0):
            self._over({"over"}, -1, -1)  # "prefer Jinja templates to an SPA"
            return
        self.words += 1
        self.pending.dangling = None
        if word in self.s.starters:
            # A new clause ends a cue's reach, unless the cue came right before it and is still
            # waiting for what it negates: "not that we don't need ...", "no way we don't ...".
            if self.reaches:
                self._keep(lambda r: r.kind in (PHRASE, SENTENCE) or (r.kind == BEFORE and not r.covered and not r.content))
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

    def match(self, match: Match, first: Token, end: int) -> None:
        payloads = match.payloads
        kinds = {p[0] for p in payloads} if len(payloads) > 1 or payloads[0][0] in PREFERENCE else ()
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

    def _match(self, payloads: tuple, start: int, end: int) -> None:
        after_comma, self.after_comma = self.after_comma, False
        targets = tuple((p[1], p[2]) for p in payloads if p[0] == "kw")
        if targets:
            own = {p[3] for p in payloads if p[0] == "kw"}
            if own - {False} and self.reaches:
                # "no admin" says its own no; but "not without a database" negates it again
                adjacent = CONCORD not in own
                self._keep(lambda r: r.effect != NEGATE or (adjacent and r.kind in (BEFORE, NEXT)
                                                           and not r.covered and not r.content))
            mention = Mention(targets, start, end)
            self._mention(mention)
            if own - {False} and not mention.negations:
                # its negation goes on over a list joined by "or": "no websockets, GraphQL or admin"
                self.reaches.append(_Reach(NEGATE, BEFORE, frozenset(), self.s.window, start, covered=True,
                                           reached=targets, item=True, or_only=True))
            for p in payloads:  # a keyword that is also a cue: "nothing like our CRUD apps"
                if p[0] == "cue" and p[2] in (PHRASE, SENTENCE):
                    self.reaches.append(_Reach(p[1], p[2], p[3], self.s.window, start))
            return
        chosen = self._pick(payloads, after_comma)
        if chosen[0][0] == "contrast":
            self.pending.clause_end(colon=False)
            self.contrasted = self.recent or self.contrasted
            self.reaches, self.recent = [], []
        elif chosen[0][0] == "cue":
            for i, (_, effect, reach, questions, concord) in enumerate(chosen):
                self._cue(effect, reach, questions, start, end, first=i == 0, concord=concord, item=after_comma)
        else:  # an ignored phrase is an ordinary word
            self.words += 1
            self.gap += 1
            self.list_broken = True
            self.pending.word()
            if self.reaches:
                self._words_pass()

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
            self.reaches.append(_Reach(NEGATE, NEXT, frozenset(), OVER_REACH, start, against=against))
            self.words += 1
            return True
        return False

    def _pick(self, payloads: tuple, after_comma: bool) -> tuple:
        """The payloads that act. A cue that may stand before or after ("only", "maybe") looks back
        when a mention is just before it in the same clause, and forward otherwise; one phrase in
        several cue sets ("hate": a negation, and not the team's experience) acts in each."""
        cues = [p for p in payloads if p[0] == "cue"]
        if not cues:
            return payloads[:1]
        looks_back = bool(self.recent) and self.gap <= POST_GAP and not after_comma
        chosen = [p for p in cues if (p[2] == AFTER) == looks_back]
        return tuple(chosen or cues)

    def _cue(self, effect: str, reach: str, questions: frozenset[str], start: int, end: int,
             first: bool = True, concord: bool = False, item: bool = False) -> None:
        if effect == CANCEL and not questions:
            self.hedged = True
        if first:
            # a `next` cue is never a lone answer: "we need an admin panel too" is not "admin: no"
            self.pending.cue((effect, questions, end), reach in (AFTER, NEXT), self.recent, self.gap,
                             not self.sentence and not self.words)
            self.words += 1
        if reach == AFTER:
            if self.recent and self.gap <= POST_GAP:
                look_back(effect, self.recent, questions, end)
            elif effect == CANCEL and not self.recent and self.contrasted:
                # "we don't need websockets today, but might later": the hedge is about them
                look_back(effect, self.contrasted, questions, end)
            self.list_broken = True
            if self.reaches:
                self._words_pass()
            return
        if effect == AFFIRM:  # "just", "only": what follows is said plainly
            if self.reaches:
                self._keep(lambda r: r.effect != NEGATE)
            return
        if effect == NEGATE and reach == BEFORE:
            for r in self.reaches:
                if r.effect == NEGATE and r.kind == BEFORE and not r.covered:
                    if not (concord and r.content <= 1):
                        r.parity ^= 1  # "not that we don't need ...": a double negation
                    # else "we don't need no API": the second negation agrees with the first
                    r.left = self.s.window
                    return
            if self.reaches:
                self._keep(lambda r: not (r.effect == NEGATE and r.kind == BEFORE))
        left = NEXT_REACH if reach == NEXT else self.s.window
        self.reaches.append(_Reach(effect, reach, questions, left, start, item=item and effect == NEGATE))

    def _mention(self, m: Mention) -> None:
        nearest = None  # the negation that speaks for the mention: a `next` cue, else the nearest
        # After a comma, another answer to a question the negation already reached is the
        # alternative, not one more item: "no API, just HTML", "no SPA, server-rendered pages".
        if self.reaches:
            self._keep(lambda r: not (r.after_comma and r.effect == NEGATE and _other_answer(r.reached, m.targets))
                       and not (r.against and not _other_answer(r.against, m.targets)))
        m.listed = any(r.after_comma for r in self.reaches if r.effect == NEGATE)
        for r in self.reaches:
            if r.effect == CANCEL:
                m.cancelled.update(r.questions or {ALL})
            elif nearest is None or nearest.kind != NEXT:
                nearest = r
            r.covered, r.after_comma, r.content = True, False, 0
            r.reached += m.targets
            if r.kind == BEFORE:
                r.left = self.s.window
        if nearest is not None:
            m.negations = 1 if nearest.kind == NEXT else nearest.parity
            if m.negations:
                m.cue_start = nearest.start
        if self.reaches:
            self._keep(lambda r: r.kind != NEXT)
        self.pending.mention()
        self.comma_since_mention = False
        self.contrasted = []
        self.sentence.append(m)
        self.words += 1
        self.recent = [m] if self.list_broken else [*self.recent, m]
        self.list_broken = False
        self.gap = 0
        self.found.append(m)


def _other_answer(reached: tuple[tuple[str, str], ...], targets: tuple[tuple[str, str], ...]) -> bool:
    return any(q == rq and o != ro for q, o in targets for rq, ro in reached)
