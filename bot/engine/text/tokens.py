"""Words and punctuation with their places in the text, contractions spelled out.

A token is (kind, word, start, end): kind is WORD, COMMA, STOP (sentence end: word "?" for
a question, else ".") or BREAK (word ":" for a colon, "(" for a bracket or dash); start/end
index the cleaned text, so what matched can be shown in the writer's own words. "don't"
gives two tokens, "do" and "not", at the same place.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

WORD, COMMA, STOP, BREAK = "w", ",", ".", ":"
Token = tuple[str, str, int, int]

_TOKEN = re.compile(
    r"(?P<w>w/o(?![^\W_])|w/(?=\s)|[^\W_]+(?:'[^\W_]+)*)"
    r"|(?P<stop>[.!?;]+(?=\s|$)|\n)"
    r"|(?P<comma>,)"
    r"|(?P<brk>[:()\[\]\u2013\u2014]|(?<=\s)-+(?=\s))"
    r"|(?P<amp>&|\+)"
    r"|(?P<gt>(?<=\s)>(?=\s))"  # "SQLAlchemy > Django ORM": read as "over"
)
_NOT = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}  # can't, won't, shan't, ain't
_SUFFIX = {"re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am"}
_IS = frozenset({"it", "that", "there", "what", "here", "he", "she", "who", "this"})


def _expand(word: str) -> list[str]:
    """Contractions as words: "isn't" -> is not, "we're" -> we are, "django's" -> django."""
    base, _, suffix = word.partition("'")
    if suffix == "t" and base.endswith("n") and len(base) > 1:
        stem = base[:-1]
        return [_NOT.get(stem, stem), "not"]
    if suffix in _SUFFIX:
        return [base, _SUFFIX[suffix]]
    if suffix == "s" and base in _IS:
        return [base, "is"]
    return [base]  # a possessive, or o'clock and the like


def tokenize(text: str, spellings: Mapping[str, tuple[str, ...]]) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text.lower()):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "w":
            word = m.group()
            parts = _expand(word) if "'" in word else (word,)
            for part in parts:
                spelled = spellings.get(part)
                if spelled is None:
                    append((WORD, part, start, end))
                else:
                    for piece in spelled:
                        append((WORD, piece, start, end))
        elif kind == "amp":
            append((WORD, "and", start, end))
        elif kind == "gt":
            append((WORD, "over", start, end))
        elif kind == "comma":
            append((COMMA, ",", start, end))
        elif kind == "stop":
            append((STOP, "?" if "?" in m.group() else ".", start, end))
        else:
            append((BREAK, ":" if m.group() == ":" else "(", start, end))
    return tokens


def singulars(word: str) -> list[str]:
    """What a plural may be the plural of: "apis" -> api, "dependencies" -> dependency."""
    out = []
    n = len(word)
    if n >= 4 and word.endswith("ies") and n > 4:
        out.append(word[:-3] + "y")
    if n >= 4 and word.endswith("es") and n > 4:
        out.append(word[:-2])
    if n >= 4 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def forms(word: str) -> list[str]:
    """The word and the bases it may be an inflection of: "prototyping" -> prototyp, prototype.

    Only inflections (plural, -ing, -ed), never derivations, so "barely" is not "bare" and
    "balancer" is not "balanced". Matching compares these sets, so both sides agree.
    """
    n = len(word)
    if n < 4:
        return [word]
    out = [word, *singulars(word)]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and n - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            out += (stem, stem + "e") if len(stem) >= 3 else (stem + "e",)  # using -> use, not us
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                out.append(stem[:-1])  # shipping -> ship
            if suffix == "ed" and stem.endswith("i"):
                out.append(stem[:-1] + "y")
    return out
