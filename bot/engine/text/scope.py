"""NegEx-style cues applied to the keyword mentions they reach (Chapman et al., 2001).

A `before` cue reaches forward until the clause ends (a contrast word such as "but", a
clause starter such as "we", a bracket or a sentence end) or `window` words pass without
a mention; each mention it reaches renews the window, so "we don't need websockets,
GraphQL or an admin panel" negates all three. An `after` cue reaches back to the mention
just before it, and to a list joined to that mention by commas and connectors. Two
negations of one mention cancel out ("there's no way we don't need an admin", "Flask
isn't fast enough"). A cancelling cue (a hedge, someone else's suggestion) wins over all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..textrules import AFFIRM, AFTER, BEFORE, CANCEL, NEGATE, NEXT, PHRASE, SENTENCE, TextRules
from .phrases import Match
from .tokens import BREAK, COMMA, STOP, WORD, Token

POST_GAP = 4  # words allowed between a mention and an `after` cue that reaches it
SHORT_QUESTION = 4  # words in a question ("websockets?", "an admin panel?") that asks rather than tells
NEXT_REACH = 2  # words a `next` cue reaches
ALL = "*"


@dataclass
class Mention:
    targets: tuple[tuple[str, str], ...]  # (question id, option id)
    start: int  # character offsets in the cleaned text
    end: int
    negations: int = 0
    cue_start: int = -1  # where the negation that reached it starts (or ends, for an `after` cue)
    cue_end: int = -1
    affirmed: bool = False
    cancelled: set[str] = field(default_factory=set)  # question ids, or ALL
    asked: bool = False  # in a short question ("websockets?"), not answered after it
    listed: bool = False  # its negation reached it only as the next item of a list, after a comma

    def polarity(self, question: str) -> int:
        """+1 taken as said, -1 negated, 0 not taken."""
        if self.asked or ALL in self.cancelled or question in self.cancelled:
            return 0
        if self.affirmed:
            return 1
        return -1 if self.negations % 2 else 1

    def span(self) -> tuple[int, int]:
        """The mention with the cue that negated it: the writer's own words for what was ruled out."""
        starts = [self.start] + ([self.cue_start] if self.cue_start >= 0 else [])
        return min(starts), max(self.end, self.cue_end)


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


class Scoper:
    def __init__(self, rules: TextRules) -> None:
        self.window = rules.window
        self.starters = frozenset(rules.clause_starters)
        self.connectors = frozenset(rules.connectors)
        self.fillers = frozenset(rules.fillers)

    def mentions(self, words: list[tuple[Token, frozenset[int]]], matches: list[Match]) -> list[Mention]:
        walk = _Walk(self)
        at = {m.start: m for m in matches}
        i = 0
        while i < len(words):
            match = at.get(i)
            if match is None:
                walk.token(words[i][0])
                i += 1
                continue
            start, end = words[match.start][0][2], words[match.end - 1][0][3]
            walk.match(match, start, end)
            i = match.end
        walk.token((STOP, ".", 0, 0))
        return walk.found

    def filler(self, word: str) -> bool:
        return word in self.fillers or word.isdigit()


class _Walk:
    def __init__(self, scoper: Scoper) -> None:
        self.s = scoper
        self.found: list[Mention] = []
        self.reaches: list[_Reach] = []
        self.recent: list[Mention] = []
        self.gap = 0
        self.list_broken = True
        self.after_comma = False  # the last token was a comma
        self.sentence: list[Mention] = []  # mentions in the current sentence
        self.words = 0  # words in the current sentence
        self.asked: list[Mention] = []  # mentions of the short question just before
        self.answer: str | None = None  # how this sentence opens, if it may answer that question
        self.comma_since_mention = False
        self.label: list[Mention] = []  # mentions before a colon ("Websockets: no")
        self.label_open = False  # nothing but fillers since that colon
        self.label_answer: str | None = None
        self.dangling: tuple[str, list[Mention]] | None = None  # "websockets yes, API no"

    def _end(self, kinds: tuple[str, ...]) -> None:
        self.reaches = [r for r in self.reaches if r.kind not in kinds]

    def _words_pass(self, n: int = 1) -> None:
        kept = []
        for r in self.reaches:
            if r.kind in (BEFORE, NEXT):
                r.left -= n
                if r.left <= 0:
                    continue
            kept.append(r)
        self.reaches = kept

    def token(self, tok: Token) -> None:
        kind, word = tok[0], tok[1]
        dangling, self.dangling = self.dangling, None
        if dangling is not None and kind != WORD:
            # a forward cue with nothing to reach, right after a mention: "websockets yes, API no"
            self._apply(*dangling)
        self.after_comma = kind in (COMMA, BREAK)
        if kind != WORD:
            self._close_label(kind == BREAK and word == ":")
        if kind == STOP:
            self.sentence_end(word)
        elif kind == BREAK and word == ":":
            # "Admin panel: not needed", "Nice to have: GraphQL", "Websockets: no": a label and
            # what it labels
            self.reaches = [r for r in self.reaches if r.kind == SENTENCE or r.kind == PHRASE
                            or (r.kind == BEFORE and not r.covered)]
            self.label, self.label_open, self.label_answer = list(self.recent), bool(self.recent), None
        elif kind == BREAK:
            self._end((BEFORE, NEXT, PHRASE))
            self.recent = []
        elif kind == COMMA:
            self.comma_since_mention = True
            # "No, we need an API": a cue that reached nothing ends at a comma. One that did goes on
            # only over a list ("no websockets, GraphQL or admin"): the next content word ends it.
            self.reaches = [r for r in self.reaches if r.kind == SENTENCE or (r.kind == BEFORE and r.covered)]
            for r in self.reaches:
                r.after_comma = True
        elif kind == WORD:
            self.words += 1
            if word in self.s.starters:
                # A new clause ends a cue's reach, unless the cue came right before it and is still
                # waiting for what it negates: "not that we don't need ...", "no way we don't ...".
                self.reaches = [r for r in self.reaches if r.kind in (PHRASE, SENTENCE)
                                or (r.kind == BEFORE and not r.covered and r.content == 0)]
                self.recent = []
                return
            self.gap += 1
            if word in self.s.connectors:
                return
            if not self.s.filler(word):
                self.label_open = False
                if self.comma_since_mention:  # "prototype now, production later": a new clause
                    self.recent = []
                self.list_broken = True
                self.reaches = [r for r in self.reaches if not r.after_comma or r.kind == SENTENCE]
                for r in self.reaches:
                    r.content += 1
            self._words_pass()

    def _close_label(self, keep: bool) -> None:
        """At the end of what followed a colon: "Websockets: no" negates the label."""
        if keep:
            return
        for m in self.label if self.label_answer else ():
            if self.label_answer == NEGATE:
                m.negations += 1
            elif self.label_answer == CANCEL:
                m.cancelled.add(ALL)
            else:
                m.affirmed = m.affirmed or not m.negations
        self.label, self.label_open, self.label_answer = [], False, None

    def sentence_end(self, stop: str) -> None:
        """At "?" after a few words the writer asks ("websockets?"): nothing is taken, unless the
        next sentence answers it ("websockets? no.", "admin panel? yes")."""
        if self.answer is not None and not self.sentence:
            for m in self.asked:
                m.asked = False
                if self.answer == NEGATE:
                    m.negations += 1
        self.asked = []
        if "?" in stop and self.sentence and self.words <= SHORT_QUESTION:
            self.asked = self.sentence
            for m in self.asked:
                m.asked = True
        self.reaches, self.recent, self.sentence, self.words, self.answer = [], [], [], 0, None

    def match(self, match: Match, start: int, end: int) -> None:
        self.dangling = None
        looked_back = self.after_comma
        self.after_comma = False
        targets = tuple((p[1], p[2]) for p in match.payloads if p[0] == "kw")
        if targets:
            self._mention(Mention(targets, start, end))
            return
        payload = self._pick(match.payloads, looked_back)
        if payload[0] == "contrast":
            self.reaches, self.recent = [], []
        elif payload[0] == "cue":
            _, effect, reach, questions = payload
            self._cue(effect, reach, questions, start, end)
        else:  # an ignored phrase is an ordinary word
            self.words += 1
            self.gap += 1
            self.list_broken = True
            self._words_pass()

    def _pick(self, payloads: tuple, after_comma: bool) -> tuple:
        """A cue that may stand before or after ("only", "maybe") looks back when a mention is
        just before it in the same clause, and forward otherwise."""
        if len(payloads) > 1:
            looks_back = bool(self.recent) and self.gap <= POST_GAP and not after_comma
            for payload in payloads:
                if payload[0] == "cue" and (payload[2] == AFTER) == looks_back:
                    return payload
        return payloads[0]

    def _cue(self, effect: str, reach: str, questions: frozenset[str], start: int, end: int) -> None:
        if self.asked and not self.sentence and self.words == 0 and effect != CANCEL:
            self.answer = effect
        labelled = self.label_open and reach != AFTER
        if labelled:
            self.label_answer, self.label_open = effect, False
        self.words += 1
        if reach == AFTER:
            if self.recent and self.gap <= POST_GAP:
                self._apply(effect, self.recent, questions, end)
            self.list_broken = True
            self._words_pass()
            return
        if self.recent and self.gap == 0 and not labelled:
            self.dangling = (effect, list(self.recent), questions, end)
        if effect == AFFIRM:  # "just", "only": what follows is said plainly
            self.reaches = [r for r in self.reaches if r.effect != NEGATE]
            return
        if effect == NEGATE and reach == BEFORE:
            for r in self.reaches:
                if r.effect == NEGATE and r.kind == BEFORE and not r.covered:
                    r.parity ^= 1  # "not that we don't need ...": a double negation
                    r.left = self.s.window
                    return
            self.reaches = [r for r in self.reaches if not (r.effect == NEGATE and r.kind == BEFORE)]
        left = NEXT_REACH if reach == NEXT else self.s.window
        self.reaches.append(_Reach(effect, reach, questions, left, start))

    def _apply(self, effect: str, mentions: list[Mention], questions: frozenset[str], end: int) -> None:
        """A cue that looks back: a negation or hedge reaches the whole list before it ("websockets
        and GraphQL aren't needed"), an affirmation only the nearest ("no SQLAlchemy, Django's ORM
        is fine")."""
        for m in mentions if effect != AFFIRM else mentions[-1:]:
            if effect == NEGATE:
                m.negations += 1
                m.cue_end = max(m.cue_end, end)
            elif effect == CANCEL:
                m.cancelled.update(questions or {ALL})
            elif m.listed or not m.negations:
                # "no SPA, server-rendered pages only" (the list had ended), but not
                # "no live updates needed" (the negation is the writer's own)
                m.affirmed = True

    def _mention(self, m: Mention) -> None:
        nearest_negation = None
        m.listed = any(r.after_comma for r in self.reaches if r.effect == NEGATE)
        for r in self.reaches:
            if r.effect == CANCEL:
                m.cancelled.update(r.questions or {ALL})
            elif r.kind == NEXT:
                nearest_negation = r  # "too opinionated": the closest cue speaks for the mention
            elif nearest_negation is None or nearest_negation.kind != NEXT:
                nearest_negation = r
            r.covered = True
            r.after_comma = False
            r.content = 0
            if r.kind == BEFORE:
                r.left = self.s.window
        if nearest_negation is not None:
            m.negations = nearest_negation.parity if nearest_negation.kind != NEXT else 1
            if m.negations:
                m.cue_start = nearest_negation.start
        self.reaches = [r for r in self.reaches if r.kind != NEXT]
        self.label, self.label_open, self.comma_since_mention = [], False, False
        self.sentence.append(m)
        self.words += 1
        if self.list_broken:
            self.recent = [m]
        else:
            self.recent.append(m)
        self.list_broken = False
        self.gap = 0
        self.found.append(m)
