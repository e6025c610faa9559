"""The knowledge's phrases compiled once, and found in a text longest first.

Keywords and `ignore` phrases match inflections ("APIs", "prototyping") and simple typos
("Protoypes"); cue phrases ("don't need", "not sure") match their words exactly, because
"needed" and "need" mean different things to a cue. A phrase may skip a few filler words
("we have been using django" matches "we use django") but never punctuation.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Knowledge
from ..textrules import BEFORE, NEGATE, SAME, SHIFT, VETO, TextRules
from .stack import StackReader
from .tokens import WORD, Token, forms, singulars, tokenize
from .trie import Element, Match, Payload, Trie, Word
from .typos import TypoIndex

NONE: frozenset[int] = frozenset()
CACHE_LIMIT = 4096  # words whose keyword ids are remembered; cleared when full
CONCORD = "concord"  # a keyword's own negation that agrees with a negation before it


@dataclass
class Phrase:
    elements: tuple[Element, ...]
    payloads: list[Payload] = field(default_factory=list)


class Matcher:
    def __init__(self, knowledge: Knowledge) -> None:
        rules: TextRules = knowledge.text
        self.rules = rules
        self.spellings = {typed: tuple(read.split()) for typed, read in rules.spellings}
        self.fillers = frozenset(rules.fillers)
        self.concord = frozenset(" ".join(self._words(c)) for c in rules.concord)
        self.vocab: dict[str, int] = {}
        self.phrases: dict[tuple[Element, ...], Phrase] = {}
        # a keyword that carries its own negation ("no admin", "without a database") is not
        # negated again by a negation before it
        negations = {p for c in rules.cues if c.effect == NEGATE for reach, p in c.phrases if reach == BEFORE}
        for question_id, option_id, keyword in _keywords(knowledge):
            words = self._words(keyword)
            # CONCORD: "no admin" after "we don't want" agrees with it ("we don't want no admin")
            own = (CONCORD if words[0] in self.concord else True) if words and words[0] in negations else False
            self._add(words, ("kw", question_id, option_id, own), inflect=True)
        for shift in rules.shifts:
            for phrase in shift.phrases:
                self._add(self._words(phrase), ("kw", shift.question, SHIFT + shift.take, False), inflect=True)
            for phrase in shift.unless:
                self._add(self._words(phrase), ("kw", shift.question, SAME, False), inflect=True)
        for phrase in rules.prefer:
            self._add(self._words(phrase), ("prefer",), inflect=False)
        for phrase in rules.over:
            self._add(self._words(phrase), ("over",), inflect=False)
        for phrase in rules.ignore:
            self._add(self._words(phrase), ("ignore",), inflect=True)
        every = frozenset(q.id for q in knowledge.questions)
        for cues in rules.cues:
            questions = (cues.questions or every) - cues.exempt if cues.exempt else cues.questions
            for reach, phrase in cues.phrases:
                words = self._words(phrase)
                concord = cues.effect == NEGATE and " ".join(words) in self.concord
                self._add(words, ("cue", cues.effect, reach, questions, concord), inflect=False)
        for phrase in rules.pseudo:
            self._add(self._words(phrase), ("ignore",), inflect=False)
        for phrase in rules.contrast:
            self._add(self._words(phrase), ("contrast", False), inflect=False)
        for phrase in rules.reasons:
            self._add(self._words(phrase), ("contrast", True), inflect=False)
        # A word is a keyword word if it is an inflection of it ("prototyping" of "prototype"), or
        # its singular ("websocket" of "websockets"); not a base the keyword is an -ing or -ed
        # form of ("we stream logs" is not "streaming"), nor another inflection of one stem
        # ("templating" is not "templates", which would make component talk a style).
        self.exact = {word: frozenset([wid]) for word, wid in self.vocab.items()}
        grouped: dict[str, set[int]] = {}
        for word, wid in self.vocab.items():
            for form in singulars(word):
                grouped.setdefault(form, set()).add(wid)
        self.derived = {form: frozenset(ids) for form, ids in grouped.items()}
        known = set(self.fillers) | set(rules.clause_starters) | set(rules.connectors)
        for elements in self.phrases:
            known.update(e for e in elements if isinstance(e, str))
        self.typos = TypoIndex(self.vocab, known, rules.typo_min)
        self.trie = Trie(((p.elements, tuple(p.payloads)) for p in self.phrases.values()), self.fillers, rules.max_gap)
        # words that begin a longer keyword word ("web" of "websockets"): only those are tried
        # as the first half of a word written apart
        self.heads = frozenset(w[:i] for w in self.vocab if len(w) >= 6 for i in range(3, len(w) - 2))
        self.cache: dict[str, frozenset[int]] = {}
        self.stack = StackReader(knowledge, self._words)
        self.framework_names = frozenset(f.name.lower() for f in knowledge.frameworks if " " not in f.name)

    def _words(self, phrase: str) -> list[str]:
        return [word for kind, word, _, _ in tokenize(phrase, self.spellings) if kind == WORD]

    def _add(self, words: list[str], payload: Payload, *, inflect: bool) -> None:
        if not words:
            return
        variants = [words]
        if inflect and 2 <= len(words) <= 3:  # "real-time" also matches "realtime"
            variants += [words[:i] + [words[i] + words[i + 1]] + words[i + 2:] for i in range(len(words) - 1)]
        for variant in variants:
            elements = tuple(self.vocab.setdefault(w, len(self.vocab)) for w in variant) if inflect else tuple(variant)
            phrase = self.phrases.setdefault(elements, Phrase(elements))
            if payload not in phrase.payloads:
                phrase.payloads.append(payload)

    # -- reading a text
    def ids(self, word: str) -> frozenset[int]:
        """The keyword words `word` may be: an inflection of, or one typo from."""
        found = self.cache.get(word)
        if found is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            found = self.cache[word] = self.ids_exact(word) or self.typos.correct(word, self.ids_exact)
        return found

    def ids_exact(self, word: str) -> frozenset[int]:
        found = self.derived.get(word, NONE)
        for form in forms(word):
            found = found | self.exact.get(form, NONE)
        return found

    def _joinable(self, word: str) -> bool:
        return word in self.exact or word in self.derived or word[:-1] in self.exact

    def words(self, text: str, tokens: list[Token]) -> list[Word]:
        """Tokens with their vocabulary ids; two words written apart ("web sockets") joined when
        together they are one keyword word and apart they are not both keyword words."""
        out: list[Word] = []
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            if tok[0] != WORD:
                out.append((tok, NONE))
                i += 1
                continue
            ids = self.ids(tok[1])
            if (tok[1] in self.heads and i + 1 < n and tokens[i + 1][0] == WORD
                    and text[tok[3]:tokens[i + 1][2]] in ("", " ", "-")):
                nxt = tokens[i + 1]
                joined = self.ids(tok[1] + nxt[1]) if self._joinable(tok[1] + nxt[1]) else NONE
                if joined and not (ids and self.ids_exact(nxt[1])):
                    out.append(((WORD, tok[1] + nxt[1], tok[2], nxt[3]), joined))
                    i += 2
                    continue
            out.append((tok, ids))
            i += 1
        return out

    def find(self, words: list[Word]) -> list[Match]:
        return self.trie.find(words)


def _keywords(knowledge: Knowledge) -> Iterable[tuple[str, str, str]]:
    for question in knowledge.questions:
        templates = [t for t in knowledge.text.templates if t.question == question.id]
        for option in question.options:
            yield from ((question.id, option.id, k) for k in option.keywords)
            framework = knowledge.framework(option.id)
            if framework is None:
                continue
            for template in templates:
                for k in template.keywords:
                    yield question.id, VETO if template.veto else option.id, k.replace("{name}", framework.name)


def matcher(knowledge: Knowledge) -> Matcher:
    """The compiled phrases of this knowledge, built once (a reload builds anew)."""
    compiled = knowledge.memo.get("text")
    if compiled is None:
        compiled = knowledge.memo["text"] = Matcher(knowledge)
    return compiled  # type: ignore[return-value]
