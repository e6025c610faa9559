"""Problems found in a knowledge directory, and the per-file collector that finds them.

Validation never stops at the first problem: every accessor of FileProblems reports
what is wrong with a value and returns None (or an empty list), so one pass over a file
collects as many problems as can be found. Messages say what was expected and what was
found, because the reader is an operator editing YAML, not a Python programmer.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .yamlnodes import Y


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge directory is invalid; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class FileProblems:
    """Collects problems for one file and offers typed accessors on Y values."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    # -- structure
    def mapping(self, y: Y | None, what: str) -> Y | None:
        if y is None:
            return None
        if y.kind != "map":
            self.add(y.line, f"{what} must be a mapping, got {describe(y)}")
            return None
        return y

    def sequence(self, y: Y | None, what: str) -> list[Y]:
        if y is None:
            return []
        if y.kind != "seq":
            self.add(y.line, f"{what} must be a list, got {describe(y)}")
            return []
        items: list[Y] = y.value
        return items

    def records(self, y: Y | None, what: str, item: str, allowed: set[str], required: Iterable[str]) -> Iterator[Y]:
        """The mapping items of list `what`, with their keys checked against `allowed`.

        A generator, so each item's own problems are reported before the next item's.
        """
        for entry in self.sequence(y, what):
            if self.mapping(entry, f"each {item}") is not None:
                self.keys(entry, allowed, required, item)
                yield entry

    def keys(self, y: Y, allowed: set[str], required: Iterable[str], what: str) -> None:
        for key in y.value:
            if not isinstance(key, str) or key not in allowed:
                line = y.key_lines.get(key, y.line)
                hint = did_you_mean(key, sorted(allowed)) if isinstance(key, str) else ""
                expected = ", ".join(sorted(allowed))
                self.add(line, f"unknown key {key_text(key)!r} in {what}{hint} (allowed: {expected})")
        for key in required:
            if key not in y.value:
                self.add(y.line, f"missing required key {key!r} in {what}")

    def first(self, seen: dict[str, int], key: str, line: int, what: str) -> bool:
        """Remember where `key` first appeared; report a repeat of it and return False."""
        if key in seen:
            self.add(line, f"duplicate {what} (first on line {seen[key]})")
            return False
        seen[key] = line
        return True

    # -- scalars
    def string(self, y: Y | None, what: str, *, empty_ok: bool = False) -> str | None:
        if y is None:
            return None
        if y.kind != "scalar" or not isinstance(y.value, str):
            self.add(y.line, f"{what} must be a string, got {describe(y)}{quote_hint(y)}")
            return None
        if not empty_ok and not y.value.strip():
            self.add(y.line, f"{what} must not be empty")
            return None
        return y.value

    def ident(self, y: Y | None, what: str) -> str | None:
        value = self.string(y, what)
        if value is None or y is None:
            return None
        if value != value.strip() or any(c.isspace() for c in value):
            self.add(y.line, f"{what} {value!r} must not contain spaces")
            return None
        return value

    def number(self, y: Y | None, what: str, *, minimum: float | None = None, positive: bool = False) -> float | None:
        if y is None:
            return None
        if y.kind != "scalar" or isinstance(y.value, bool) or not isinstance(y.value, (int, float)):
            self.add(y.line, f"{what} must be a number, got {describe(y)}")
            return None
        value = float(y.value)
        if not math.isfinite(value):
            self.add(y.line, f"{what} must be a finite number, got {y.raw}")
            return None
        if minimum is not None and value < minimum:
            self.add(y.line, f"{what} must be at least {minimum:g}, got {y.raw}")
            return None
        if positive and value <= 0:
            self.add(y.line, f"{what} must be greater than 0, got {y.raw}")
            return None
        return value

    def strings(self, y: Y | None, what: str) -> list[str]:
        out = []
        for item in self.sequence(y, what):
            value = self.string(item, f"each item of {what}")
            if value is not None:
                out.append(value)
        return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest choice, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def key_text(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def describe(y: Y) -> str:
    if y.kind == "map":
        return "a mapping"
    if y.kind == "seq":
        return "a list"
    value = y.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {y.raw}"
    if isinstance(value, (int, float)):
        return f"the number {y.raw}"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{type(value).__name__} {y.raw!r}"


def quote_hint(y: Y) -> str:
    """Why an unquoted YAML scalar is not the string it looks like, and how to fix it."""
    if y.kind == "scalar" and y.plain and y.value is not None and not isinstance(y.value, str):
        if isinstance(y.value, bool):
            return f' (YAML 1.1 reads unquoted {y.raw} as a boolean: write "{y.raw}" in quotes)'
        return f' (write "{y.raw}" in quotes to make it a string)'
    return ""
