"""knowledge/text.yaml: the cues that change what a keyword in free text means.

The file is optional: without it, free text is read by keywords alone. Every phrase is
a non-empty string, every question and option named exists, and each implication takes an
option it does not also rule out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine.model import Question
from bot.engine.textrules import (
    EFFECTS,
    REACHES,
    Comparison,
    CueSet,
    Implication,
    Shift,
    Stack,
    Template,
    TextRules,
)

from .problems import FileProblems
from .yamlnodes import Y

TEXT_KEYS = {"schema", "window", "max_gap", "margin", "typo_min", "cues", "pseudo", "ignore", "contrast", "reasons",
             "clause_starters", "objects", "connectors", "fillers", "concord", "spellings", "negated", "prevail",
             "templates", "shifts", "prefer", "over", "over_after_keyword", "comparisons", "stack"}
LISTS = ("pseudo", "ignore", "contrast", "reasons", "clause_starters", "objects", "connectors", "fillers", "concord",
         "prefer", "over", "over_after_keyword")
NUMBERS = {"window": 1, "max_gap": 0, "margin": 1, "typo_min": 3}  # key -> smallest allowed
CUE_KEYS = {"effect", "questions", "except", *REACHES}


def load_text(f: FileProblems, root: Y, questions: dict[str, Question], declared: set[str] | None = None) -> TextRules:
    """`declared`: every question id written in questions.yaml; one that failed to load there
    is skipped here without a second report."""
    refs = _Refs(questions, frozenset(declared or questions))
    f.keys(root, TEXT_KEYS, (), "text.yaml")
    top = root.value
    # Keyed by TextRules' own field names (tests/test_text_rules checks LISTS and NUMBERS are).
    numbers: dict[str, Any] = {}
    for key, minimum in NUMBERS.items():
        number = f.number(top.get(key), key, minimum=minimum)
        if number is not None:
            if number != int(number):
                f.add(top[key].line, f"{key} must be a whole number, got {top[key].raw}")
            numbers[key] = int(number)
    lists: dict[str, Any] = {key: tuple(_phrases(f, top.get(key), key)) for key in LISTS}
    spellings = []
    node = f.mapping(top.get("spellings"), "spellings")
    for typed, read in (node.value.items() if node else ()):
        value = f.string(read, f"spelling of {typed!r}")
        if isinstance(typed, str) and typed.strip() and value:
            spellings.append((typed.lower(), value.lower()))
        elif not isinstance(typed, str):
            f.add(read.line, f"spelling {typed!r} must be a word in quotes")
    return TextRules(
        cues=tuple(_cues(f, top.get("cues"), refs)),
        spellings=tuple(spellings),
        implications=tuple(_implications(f, top.get("negated"), refs)),
        prevail=tuple(_prevail(f, top.get("prevail"), refs)),
        templates=tuple(_templates(f, top.get("templates"), refs)),
        shifts=tuple(_shifts(f, top.get("shifts"), refs)),
        comparisons=tuple(_comparisons(f, top.get("comparisons"), refs)),
        stack=_stack(f, top.get("stack"), refs),
        **lists,
        **numbers,
    )


def _phrases(f: FileProblems, node: Y | None, what: str) -> list[str]:
    return [p.lower() for p in f.strings(node, what)]


@dataclass(frozen=True)
class _Refs:
    questions: dict[str, Question]  # loaded
    declared: frozenset[str]  # written in questions.yaml, loaded or not


def _question(f: FileProblems, node: Y | None, refs: _Refs, what: str) -> Question | None:
    qid = f.ident(node, f"question in {what}")
    if qid is None or node is None:
        return None
    if qid not in refs.questions:
        if qid not in refs.declared:  # a question that failed to load is reported there already
            f.add(node.line, f"{what} names question {qid!r}, which questions.yaml does not have")
        return None
    return refs.questions[qid]


def _option(f: FileProblems, node: Y | None, question: Question, what: str) -> str | None:
    oid = f.ident(node, f"option in {what}")
    if oid is None or node is None:
        return None
    if question.option(oid) is None:
        choices = ", ".join(o.id for o in question.options)
        f.add(node.line,
              f"{what} names option {oid!r}, which question {question.id!r} does not have (it has: {choices})")
        return None
    return oid


def _cues(f: FileProblems, node: Y | None, refs: _Refs) -> list[CueSet]:
    out = []
    for item in f.records(node, "cues", "cue set", CUE_KEYS, ("effect",)):
        effect = f.ident(item.value.get("effect"), "cue effect")
        if effect is not None and effect not in EFFECTS:
            f.add(item.value["effect"].line, f"cue effect {effect!r} is not one of: {', '.join(EFFECTS)}")
            effect = None
        restricted = frozenset(
            q.id for q in (_question(f, n, refs, "cues") for n in f.sequence(item.value.get("questions"), "questions"))
            if q is not None
        )
        exempt = frozenset(
            q.id for q in (_question(f, n, refs, "cues") for n in f.sequence(item.value.get("except"), "except"))
            if q is not None
        )
        phrases = tuple((reach, p) for reach in REACHES for p in _phrases(f, item.value.get(reach), f"cue {reach}"))
        if effect is not None:
            out.append(CueSet(effect, phrases, restricted, exempt))
    return out


def _implications(f: FileProblems, node: Y | None, refs: _Refs) -> list[Implication]:
    out = []
    fields = ("question", "ruled_out", "take")
    for item in f.records(node, "negated", "implication", set(fields), fields):
        question = _question(f, item.value.get("question"), refs, "negated")
        if question is None:
            continue
        ruled = [_option(f, n, question, "ruled_out") for n in f.sequence(item.value.get("ruled_out"), "ruled_out")]
        take = _option(f, item.value.get("take"), question, "take")
        if take is None or None in ruled or not ruled:
            continue
        if take in ruled:
            f.add(item.line, f"an implication for {question.id!r} cannot take {take!r}, which it rules out")
            continue
        out.append(Implication(question.id, frozenset(o for o in ruled if o), take))
    return out


def _prevail(f: FileProblems, node: Y | None, refs: _Refs) -> list[tuple[str, str]]:
    out = []
    for item in f.records(node, "prevail", "prevailing option", {"question", "option"}, ("question", "option")):
        question = _question(f, item.value.get("question"), refs, "prevail")
        option = _option(f, item.value.get("option"), question, "prevail") if question else None
        if question and option:
            out.append((question.id, option))
    return out


def _templates(f: FileProblems, node: Y | None, refs: _Refs) -> list[Template]:
    out = []
    for item in f.records(node, "templates", "template", {"question", "keywords", "veto"}, ("question", "keywords")):
        question = _question(f, item.value.get("question"), refs, "templates")
        keywords = []
        for k in f.sequence(item.value.get("keywords"), "keywords"):
            text = f.string(k, "each template keyword")
            if text is not None and "{name}" not in text:
                f.add(k.line, f"template keyword {text!r} must contain {{name}}")
            elif text is not None:
                keywords.append(text.lower())
        veto = item.value.get("veto")
        if veto is not None and not isinstance(veto.value, bool):
            f.add(veto.line, f"veto must be true or false, got {veto.raw!r}")
        if question is not None:
            out.append(Template(question.id, tuple(keywords), bool(veto and veto.value is True)))
    return out


def _shifts(f: FileProblems, node: Y | None, refs: _Refs) -> list[Shift]:
    out = []
    for item in f.records(node, "shifts", "shift", {"question", "take", "phrases", "unless"},
                          ("question", "take", "phrases")):
        question = _question(f, item.value.get("question"), refs, "shifts")
        take = _option(f, item.value.get("take"), question, "shifts") if question else None
        phrases = _phrases(f, item.value.get("phrases"), "shift phrases")
        unless = _phrases(f, item.value.get("unless"), "shift unless")
        if question and take:
            out.append(Shift(question.id, take, tuple(phrases), tuple(unless)))
    return out


def _comparisons(f: FileProblems, node: Y | None, refs: _Refs) -> list[Comparison]:
    out = []
    for item in f.records(node, "comparisons", "comparison", {"question", "words", "anchors"},
                          ("question", "words", "anchors")):
        question = _question(f, item.value.get("question"), refs, "comparisons")
        words = _phrases(f, item.value.get("words"), "comparison words")
        anchors = []
        node_anchors = f.mapping(item.value.get("anchors"), "anchors")
        for name, option in (node_anchors.value.items() if node_anchors and question else ()):
            assert question is not None  # the loop runs only with one
            oid = _option(f, option, question, "anchors")
            if not isinstance(name, str) or not name.strip() or " " in name.strip():
                f.add(option.line, f"anchor {name!r} must be one word in quotes (a framework's name)")
            elif oid:
                anchors.append((name.strip().lower(), oid))
        if question:
            out.append(Comparison(question.id, tuple(words), tuple(anchors)))
    return out


def _stack(f: FileProblems, node: Y | None, refs: _Refs) -> Stack | None:
    node = f.mapping(node, "stack") if node is not None else None
    if node is None:
        return None
    f.keys(node, {"question", "none", "current", "things", "background", "others", "unshipped", "unshipped_words",
                  "not_before", "moved", "aliases"},
           ("question", "none", "current"), "stack")
    question = _question(f, node.value.get("question"), refs, "stack")
    none = _option(f, node.value.get("none"), question, "stack none") if question else None
    current = _phrases(f, node.value.get("current"), "stack current")
    for key in ("current", "background"):
        for p in _phrases(f, node.value.get(key), f"stack {key}") if key in node.value else ():
            if "{name}" not in p:
                f.add(node.value[key].line, f"stack pattern {p!r} must contain {{name}}")
    current = [p for p in current if "{name}" in p]
    if question is None or none is None:
        return None
    aliases = []
    mapping = f.mapping(node.value.get("aliases"), "stack aliases")
    for name, option in (mapping.value.items() if mapping else ()):
        oid = _option(f, option, question, "stack aliases")
        if not isinstance(name, str) or not name.strip():
            f.add(option.line, f"stack alias {name!r} must be a name in quotes")
        elif oid:
            aliases.append((name.strip().lower(), oid))
    return Stack(question.id, none, tuple(p for p in current if p),
                 tuple(_phrases(f, node.value.get("others"), "stack others")),
                 tuple(_phrases(f, node.value.get("unshipped"), "stack unshipped")),
                 tuple(_phrases(f, node.value.get("unshipped_words"), "stack unshipped_words")),
                 tuple(_phrases(f, node.value.get("not_before"), "stack not_before")),
                 tuple(_phrases(f, node.value.get("moved"), "stack moved")), tuple(aliases),
                 tuple(_phrases(f, node.value.get("things"), "stack things")),
                 tuple(_phrases(f, node.value.get("background"), "stack background")))
