"""Scoring free text against real openings (tests/fixtures/real_openings_dev.yaml).

A fact is an item of `take`; it is taken when extract() answers it. A misreading is an answer
listed under `never`, or another option of a question whose answer is in `take`. Answers to
questions the labels leave open are counted apart: neither taken nor misread.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "real_openings_dev.yaml"
PLAIN = "plain"


@dataclass
class Tally:
    facts: int = 0
    taken: int = 0
    misread: int = 0

    @property
    def rate(self) -> float:
        return self.taken / self.facts if self.facts else 1.0


@dataclass
class Score:
    total: Tally = field(default_factory=Tally)
    by_class: dict[str, Tally] = field(default_factory=dict)
    open_answers: int = 0
    misreadings: list[tuple[str, str]] = field(default_factory=list)  # (text, answer)
    missed: list[tuple[str, str]] = field(default_factory=list)


def load(path: Path = DEV) -> list[dict]:
    return yaml.safe_load(path.read_text())["openings"]


def score(openings: list[dict], read: Callable[[str], list[tuple[str, str, str]]]) -> Score:
    s = Score()
    for case in openings:
        got = {f"{q}={o}" for q, o, _ in read(case["text"])}
        take, never = set(case["take"]), set(case["never"])
        classes = case.get("classes", {})
        answered = {t.split("=")[0] for t in take}
        wrong = never | {g for g in got if g.split("=")[0] in answered and g not in take}
        for item in take | (got & wrong):
            tally = s.by_class.setdefault(classes.get(item, PLAIN), Tally())
            for t in (tally, s.total):
                if item in take:
                    t.facts += 1
                    t.taken += item in got
                else:
                    t.misread += 1
            if item in got and item not in take:
                s.misreadings.append((case["text"], item))
            elif item in take and item not in got:
                s.missed.append((case["text"], item))
        s.open_answers += len({g for g in got if g.split("=")[0] not in answered} - never)
    return s
