"""A matched phrase in the walk of scope.py: a keyword becomes a mention that the live cues reach."""
from __future__ import annotations

from ..textrules import BEFORE, CANCEL, CONCEDE, NEGATE, NEXT, PHRASE, SENTENCE
from .mention import ALL, Mention
from .phrases import CONCORD
from .trie import Payload
from .reach import Reach, other_answer
from .walkstate import WalkState


class Matching(WalkState):
    """A mixin of scope._Walk, whose state it reads and changes."""

    def _match(self, payloads: tuple[Payload, ...], start: int, end: int) -> None:
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
                self.reaches.append(Reach(NEGATE, BEFORE, frozenset(), self.s.window, start, covered=True,
                                          reached=targets, item=True, or_only=True))
            for p in payloads:  # a keyword that is also a cue: "nothing like our CRUD apps"
                if p[0] == "cue" and p[2] in (PHRASE, SENTENCE):
                    self.reaches.append(Reach(p[1], p[2], p[3], self.s.window, start))
            return
        chosen = self._pick(payloads, after_comma)
        if chosen[0][0] == "contrast":
            self.pending.clause_end(colon=False)
            self.contrasted = self.recent or self.contrasted
            self.turned = list(self.sentence)
            self.clause = []
            reason = chosen[0][1]  # "because": a sentence's cue goes on
            if not reason:  # "I'd love a batteries-included framework, but our security team ..."
                for m in self.conceded:
                    m.cancelled.add(ALL)
                self.conceded = []
            self.reaches = [r for r in self.reaches if reason and r.kind == SENTENCE]
            self.recent = []
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

    def _mention(self, m: Mention) -> None:
        nearest = None  # the negation that speaks for the mention: a `next` cue, else the nearest
        # After a comma, another answer to a question the negation already reached is the
        # alternative, not one more item: "no API, just HTML", "no SPA, server-rendered pages".
        if self.reaches:
            self._keep(lambda r: not (r.after_comma and r.effect == NEGATE and other_answer(r.reached, m.targets))
                       and not (r.against and not other_answer(r.against, m.targets)))
        m.listed = any(r.after_comma for r in self.reaches if r.effect == NEGATE)
        for r in self.reaches:
            if r.effect == CANCEL:
                m.cancelled.update(r.questions or {ALL})
            elif r.effect == CONCEDE:
                self.conceded.append(m)
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
        self.turned = []
        self.sentence.append(m)
        self.clause.append(m)
        self.words += 1
        self.recent = [m] if self.list_broken else [*self.recent, m]
        self.list_broken = False
        self.gap = 0
        self.found.append(m)
