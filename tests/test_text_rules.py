"""knowledge/text.yaml: loaded into TextRules, refused with file:line problems when broken."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.engine.text.typos import one_edit
from bot.engine.textmatch import extract
from bot.engine.textrules import TextRules
from bot.knowledge import KnowledgeError, load_knowledge

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def problems_after(kdir: Path, old: str, new: str) -> list[str]:
    path = kdir / "text.yaml"
    text = path.read_text()
    assert old in text
    line = text.count("\n", 0, text.index(old)) + 1
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir, check_winners=False)
    return [f"{p.line}: {p.message}" for p in info.value.problems if p.file.endswith("text.yaml")], line


def test_shipped_rules_load(knowledge) -> None:
    rules = knowledge.text
    assert rules.cues and rules.implications and rules.templates and rules.prevail
    assert {(i.question, i.take) for i in rules.implications} >= {("realtime", "no"), ("control", "balanced")}


def test_text_yaml_is_optional(kdir: Path) -> None:
    (kdir / "text.yaml").unlink()
    knowledge = load_knowledge(kdir)
    assert knowledge.text == TextRules()
    assert {q for q, _, _ in extract(knowledge, "a REST API")} == {"style"}


@pytest.mark.parametrize("old, new, message", [
    ("{question: realtime, ruled_out:", "{question: realtyme, ruled_out:",
     r"negated names question 'realtyme', which questions.yaml does not have"),
    ('ruled_out: ["yes"], take: "no"}            # "we don', 'ruled_out: ["yes"], take: "maybe"}            # "we don',
     r"take names option 'maybe', which question 'realtime' does not have \(it has: yes, no\)"),
    ('ruled_out: ["yes"], take: "no"}            # "we don', 'ruled_out: ["yes"], take: "yes"}            # "we don',
     r"cannot take 'yes', which it rules out"),
    ("  - effect: negate\n", "  - effect: flip\n", r"cue effect 'flip' is not one of: negate, cancel, affirm"),
    ("  - effect: negate\n", "  - effect: negate\n    behind: [x]\n", r"unknown key 'behind' in cue set"),
    ('"we use {name}", ', '"we use it", ', r"template keyword 'we use it' must contain \{name\}"),
    ("window: 5 ", "window: 0 ", r"window must be at least 1, got 0"),
    ('concord: ["no"', 'concord: [["no"]', r"each item of concord must be a string, got a list"),
    ("window: 5 ", "window: 2.5 ", r"window must be a whole number, got 2.5"),
    ("  - {question: experience, option: none}", "  - {question: experience, option: nobody}",
     r"prevail names option 'nobody'"),
    ("fillers: [", "filers: [", r"unknown key 'filers' in text.yaml; did you mean 'fillers'\?"),
    ("    except: [experience]\n", "    except: [experiense]\n", r"cues names question 'experiense'"),
    ("  - question: experience\n    veto: true\n", "  - question: experience\n    veto: maybe\n",
     r"veto must be true or false, got 'maybe'"),
    ('pseudo: ["no doubt"', 'pseudo: [42, "no doubt"', r"each item of pseudo must be a string, got the number 42"),
    ("  - question: experience\n    take: none\n", "  - question: experience\n    take: nobody\n",
     r"shifts names option 'nobody'"),
    ("  - question: control\n    words:", "  - question: kontrol\n    words:", r"comparisons names question 'kontrol'"),
    ("anchors: {django: batteries,", "anchors: {django: heavy,", r"anchors names option 'heavy'"),
    ('over: ["over"', 'over: [["over"]', r"each item of over must be a string, got a list"),
    ('current: ["runs on {name}", ', 'current: ["runs on it", ', r"stack pattern 'runs on it' must contain \{name\}"),
    ("  none: none\n", "  none: nobody\n", r"stack none names option 'nobody'"),
    ('"drf": django,', '"drf": djangoo,', r"stack aliases names option 'djangoo'"),
    ("  unshipped_words:", "  unshiped_words:", r"unknown key 'unshiped_words' in stack"),
    ('background: ["coming from {name}"', 'background: ["coming from it"', r"stack pattern 'coming from it' must"),
])
def test_broken_text_yaml_is_refused_at_the_line(kdir: Path, old: str, new: str, message: str) -> None:
    found, line = problems_after(kdir, old, new)
    assert any(re.search(message, p) for p in found), found
    assert any(p.startswith((f"{line}:", f"{line + 1}:")) for p in found), (line, found)


def test_a_question_that_failed_to_load_is_not_reported_again(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    path.write_text(path.read_text().replace("    short: Web development style\n", "", 1))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir, check_winners=False)
    assert not [p for p in info.value.problems if p.file.endswith("text.yaml")]


def test_one_edit_is_narrow() -> None:
    assert one_edit("protoypes", "prototypes", True)
    assert one_edit("asnyc", "async", False)  # neighbours swapped
    assert not one_edit("reach", "react", False)  # a substitution in a short word
    assert not one_edit("xsync", "async", True)  # the first letter is kept
    assert not one_edit("async", "async", True)
    assert not one_edit("websocketss", "websocket", True)  # two edits


def test_without_the_new_sections_the_reader_still_works(kdir: Path) -> None:
    """shifts, prefer/over and comparisons are optional: a text.yaml from before them loads."""
    path = kdir / "text.yaml"
    text = path.read_text()
    start, end = text.index("# Words that place the team's framework"), text.index("# Keywords for every option")
    path.write_text(text[:start] + text[end:])
    knowledge = load_knowledge(kdir)
    assert not knowledge.text.shifts and not knowledge.text.comparisons and not knowledge.text.prefer
    assert {(q, o) for q, o, _ in extract(knowledge, "we use Flask at work; a side project")} >= {("experience",
                                                                                                   "flask")}


def test_the_loaders_lists_and_numbers_are_text_rules_fields() -> None:
    """knowledge/text.py passes them to TextRules by name: a name that is not a field would
    fail every load, one with the wrong kind of value would be read wrongly."""
    import dataclasses

    from bot.knowledge.text import LISTS, NUMBERS

    fields = {f.name: f for f in dataclasses.fields(TextRules)}
    assert {name: fields[name].type for name in LISTS} == {name: "tuple[str, ...]" for name in LISTS}
    assert {name: fields[name].type for name in NUMBERS} == {name: "int" for name in NUMBERS}
