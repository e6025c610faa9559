"""The stack the writer's app runs on today: "X runs on CherryPy", "our API is Flask-based",
"migrate our API from FastAPI to Django", "Homu currently uses the standard library".

Past success means the team shipped with a framework and the new app is like what it built;
the same app, described as it runs today, is the plainest case, even when the post is about
leaving it. A framework named in one of the `current` patterns of text.yaml answers the
experience question with it; a stack that is none of the question's options (Tornado, web.py,
Node.js) answers `none`. A framework named anywhere else (a candidate, a comparison, someone's
suggestion) says nothing here. Two different current stacks, or a sentence that says the app is
not shipped yet ("the first version", "before launch", "the new backend"), leave it open.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Knowledge
from .tokens import STOP, WORD, Token

GAP = 2  # words allowed between a pattern and the name it describes: "runs on the EOL Pylons"
# words that never stand in that gap: they start another phrase ("to Django", "like Flask")
NOT_GAP = frozenset({"to", "than", "like", "as", "with", "for", "from", "of", "instead", "over", "vs", "versus",
                     "into", "not", "no", "and", "or", "nor", "either", "but", "such", "which", "that", "is", "are",
                     "was", "were", "be"})
NAME = "{name}"


@dataclass(frozen=True)
class _Pattern:
    before: tuple[str, ...]
    after: tuple[str, ...]
    background: bool = False  # answers only `none`: "coming from Node.js", not "coming from Django"


class StackReader:
    def __init__(self, knowledge: Knowledge, words: Callable[[str], list[str]]) -> None:
        """`words`: how a phrase of the knowledge is split into words, as the matcher does."""
        rules = knowledge.text.stack
        question = knowledge.question(rules.question) if rules else None
        self.question = rules.question if rules else ""
        self.none = ""
        self.names: dict[tuple[str, ...], str] = {}  # name as words -> option id
        self.patterns: tuple[_Pattern, ...] = ()
        self.unshipped_at: dict[str, list[tuple[str, ...]]] = {}  # by first word
        self.not_ours: frozenset[str] = frozenset()
        self.not_before: frozenset[str] = frozenset()
        self.moved: frozenset[str] = frozenset()
        self.by_after: dict[str, list[_Pattern]] = {}  # by the word after the name
        self.by_before: dict[str, list[_Pattern]] = {}  # (none after it) by the last word before it
        self.first: frozenset[str] = frozenset()  # only these words may start a name
        self.longest = 0
        if question is None or rules is None:
            return
        options = {o.id for o in question.options}
        for f in knowledge.frameworks:
            self.names[tuple(words(f.name))] = f.id if f.id in options else rules.none
        for other in rules.others:
            self.names.setdefault(tuple(words(other)), rules.none)
        for alias, option in rules.aliases:
            self.names[tuple(words(alias))] = option
        self.not_ours = frozenset(rules.unshipped_words)
        self.not_before = frozenset(rules.not_before)
        self.moved = frozenset(rules.moved)
        self.first = frozenset(n[0] for n in self.names if n)
        self.longest = max((len(n) for n in self.names), default=0)
        written = [p.replace("{thing}", t) for p in rules.current for t in (rules.things if "{thing}" in p else [""])]
        self.none = rules.none
        self.patterns = tuple(_pattern(words(p.replace(NAME, " {name} ")), p) for p in written) + tuple(
            _pattern(words(p.replace(NAME, " {name} ")), p, background=True) for p in rules.background)
        for phrase in rules.unshipped:
            split = tuple(words(phrase))
            if split:
                self.unshipped_at.setdefault(split[0], []).append(split)
        for p in self.patterns:
            if p.after:
                self.by_after.setdefault(p.after[0], []).append(p)
            else:
                self.by_before.setdefault(p.before[-1], []).append(p)

    def read(self, tokens: list[Token]) -> tuple[str, tuple[int, int]] | None:
        """(option, the writer's words) when exactly one current stack is named, else None."""
        if not self.patterns:
            return None
        found: dict[str, tuple[int, int]] = {}
        words = [t[1] if t[0] == WORD else "" for t in tokens]
        for i, j, option in self._names(words):
            span = self._current(words, i, j, option)
            if span is not None and not self._unshipped(tokens, words, i):
                found.setdefault(option, (tokens[span[0]][2], tokens[span[1] - 1][3]))
        if len(found) != 1:
            return None
        return next(iter(found.items()))

    def _names(self, words: list[str]) -> list[tuple[int, int, str]]:
        out = []
        i = 0
        while i < len(words):
            if words[i] not in self.first:
                i += 1
                continue
            for n in range(min(self.longest, len(words) - i), 0, -1):
                option = self.names.get(tuple(words[i:i + n]))
                if option is not None:
                    out.append((i, i + n, option))
                    i += n - 1
                    break
            i += 1
        return out

    def _stops(self, word: str) -> bool:
        """A word that may not stand between a pattern and the name."""
        return not word or word in NOT_GAP or word in self.not_ours

    def _unshipped(self, tokens: list[Token], words: list[str], i: int) -> bool:
        """The sentence around words[i] says the app is not shipped yet."""
        start, end = i, i
        while start > 0 and tokens[start - 1][0] != STOP:
            start -= 1
        while end < len(tokens) and tokens[end][0] != STOP:
            end += 1
        for k in range(start, end):
            for phrase in self.unshipped_at.get(words[k], ()):
                if tuple(words[k:k + len(phrase)]) == phrase:
                    return True
        return False

    def _current(self, words: list[str], i: int, j: int, option: str) -> tuple[int, int] | None:
        """The span of a current pattern around the name at words[i:j], which answers `option`."""
        if i and words[i - 1] in self.not_ours:  # "the new Flask-based service"
            return None
        candidates = list(self.by_after.get(words[j], ())) if j < len(words) else []
        for gap in range(GAP + 1):
            if i - gap - 1 < 0 or (gap and self._stops(words[i - gap])):
                break
            candidates += self.by_before.get(words[i - gap - 1], ())
        for p in candidates:
            end = j + len(p.after)
            if (p.after and tuple(words[j:end]) != p.after) or (p.background and option != self.none):
                continue
            if not p.before:
                return None if self._planned(words, i) else (i, end)
            for gap in range(GAP + 1):
                k = i - gap - len(p.before)
                if k < 0 or (gap and self._stops(words[i - gap])):
                    break
                if tuple(words[k:i - gap]) == p.before:
                    return None if self._planned(words, k) else (k, end)
        return None

    def _planned(self, words: list[str], k: int) -> bool:
        """A plan or a denial just before the pattern at words[k] ("it would run on Django"), or a
        finished move earlier in its clause ("we moved it from Flask to FastAPI")."""
        if any(w in self.not_before for w in words[max(k - 2, 0):k]):
            return True
        j = k
        while j > 0 and words[j - 1]:
            j -= 1
            if words[j] in self.moved:
                return True
        return False


def _pattern(words: list[str], written: str, background: bool = False) -> _Pattern:
    at = words.index("name") if "name" in words else -1
    if at < 0:
        raise ValueError(f"stack pattern {written!r} has no {NAME}")
    return _Pattern(tuple(words[:at]), tuple(words[at + 1:]), background)

