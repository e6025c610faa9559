"""Rules of the second pass, checked over their whole data rather than by example.

- Every shift phrase beside a framework named as experience makes it "the new app is
  different"; alone it answers nothing; with an `unless` phrase the framework stands.
- Every comparison word against every anchor rules that anchor's option out, and two ends
  ruled out leave the middle.
- "prefer X over Y" for every pair of options of a question takes X.
"""
from __future__ import annotations

import pytest

from bot.engine.textmatch import extract


def read(knowledge, text: str) -> dict[str, str]:
    return {q: o for q, o, _ in extract(knowledge, text)}


def test_every_shift_phrase_moves_experience_elsewhere(knowledge) -> None:
    for shift in knowledge.text.shifts:
        for phrase in shift.phrases:
            for framework in ("Django", "Flask", "FastAPI"):
                got = read(knowledge, f"We use {framework} {phrase}.")
                assert got.get(shift.question) == shift.take, (phrase, framework, got)
                same = read(knowledge, f"We use {framework} {phrase}. The new app is very similar.")
                assert same.get(shift.question) == framework.lower(), (phrase, framework, same)
            alone = read(knowledge, f"Hi all. {phrase}.")
            assert shift.question not in alone, (phrase, alone)


def test_every_comparison_rules_its_anchor_out(knowledge) -> None:
    for c in knowledge.text.comparisons:
        ends = {o for _, o in c.anchors}
        middle = [o.id for o in knowledge.question(c.question).options if o.id not in ends]
        for word in c.words:
            for name, option in c.anchors:
                got = read(knowledge, f"less {word} than {name.title()}")
                assert got.get(c.question) != option, (word, name, got)
                for other, other_option in c.anchors:
                    if other_option != option:
                        both = read(knowledge, f"not as {word} as {name.title()} and not as {word} as {other.title()}")
                        assert both.get(c.question) in (*middle, None), (word, name, other, both)
                for other, other_option in c.anchors:
                    if other_option != option:
                        too = read(knowledge, f"{name.title()} is too {word}. {other.title()} is too {word} too")
                        assert too.get(c.question) in middle, (word, name, other, too)
        # a comparison that agrees ("as opinionated as Django") rules nothing out
        assert read(knowledge, "as opinionated as Django, which we like").get(c.question) != "balanced"


@pytest.mark.parametrize("question", ["style", "control", "orm"])
def test_prefer_x_over_y_takes_x(knowledge, question) -> None:
    options = knowledge.question(question).options
    for x in options:
        for y in options:
            if x.id == y.id or not x.keywords or not y.keywords:
                continue
            kx, ky = x.keywords[0], y.keywords[0]
            if any(w in ky.split() for w in ("no", "without", "any", "whatever")) or kx in ky or ky in kx:
                continue  # a keyword that carries its own negation or choice
            got = read(knowledge, f"we'd prefer {kx} over {ky}")
            assert got.get(question) == x.id, (kx, ky, got)
