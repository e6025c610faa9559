"""One-typo correction onto the keyword vocabulary (a deletion index, as in SymSpell).

Deliberately narrow, because a "correction" that lands on a real word is a misreading:
only words of `min_len` letters or more, never a cue or filler word, the first letter
kept, and for keyword words under 8 letters only two swapped neighbours ("asnyc"), since
short words sit one letter apart from other real words ("reach"/"react", "forms"/"farms").
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

ANY_EDIT_FROM = 8  # keyword words this long accept any single edit
CACHE_LIMIT = 4096  # corrections remembered; cleared when full


def _deletions(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1:] for i in range(len(word)))


def one_edit(a: str, b: str, any_edit: bool) -> bool:
    """a and b differ by exactly one edit, not in the first letter (a swap of two neighbours
    always counts; a substitution, insertion or deletion only with `any_edit`)."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    i, m = 0, min(la, lb)
    while i < m and a[i] == b[i]:
        i += 1
    if i == 0:
        return False
    if la == lb:
        if i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]:
            return True
        return any_edit and a[i + 1:] == b[i + 1:]
    if not any_edit:
        return False
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]


class TypoIndex:
    def __init__(self, vocabulary: Iterable[str], known: Iterable[str], min_len: int) -> None:
        self.min_len = min_len
        self.known = frozenset(known)
        self.index: dict[str, set[str]] = {}
        for word in vocabulary:
            if len(word) >= min_len and word.isalpha():
                self.index.setdefault(word, set()).add(word)
                for deleted in _deletions(word):
                    self.index.setdefault(deleted, set()).add(word)
        self.cache: dict[str, frozenset[int]] = {}

    def correct(self, word: str, ids: Callable[[str], frozenset[int]]) -> frozenset[int]:
        """The ids of the one keyword word `word` is a typo of, or none."""
        if len(word) < self.min_len or word in self.known or not word.isalpha():
            return frozenset()
        found = self.cache.get(word)
        if found is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            found = self.cache[word] = self._correct(word, ids)
        return found

    def _correct(self, word: str, ids: Callable[[str], frozenset[int]]) -> frozenset[int]:
        targets: set[str] = set()
        for form in {word, word.removesuffix("s")}:
            for key in (form, *_deletions(form)):
                for target in self.index.get(key, ()):
                    if one_edit(form, target, len(target) >= ANY_EDIT_FROM):
                        targets.add(target)
        sets = [ids(t) for t in targets]
        if not sets or any(not (a & b) for a in sets for b in sets):
            return frozenset()  # no keyword word, or two unrelated ones: no guess
        return frozenset().union(*sets)
