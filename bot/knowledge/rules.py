"""The `consider`, `think_twice` and `caveats` points of a framework file.

A point holds when its condition (`when: {question: [options]}`, or its negation
`unless:`) holds for the user's answers. `consider` points are fits (`strength: strong`
or `fit`, the default); `think_twice` points are warnings (`strength: soft`, the default,
or `hard`); `caveats` are shown with the pick and never counted (bot/engine/verdicts.py).
`short` gives a few words for reasons (else the text is quoted). Each counted point names
its `source`: `table` (the article's table, in its words, the default), `article: <its
words>` or `facts: <a line of the fact sheet>`.
"""
from __future__ import annotations

from bot.engine.model import FIT_STRENGTHS, WARNING_STRENGTHS, Question, Rule

from .problems import FileProblems, describe, did_you_mean, key_text, quote_hint
from .yamlnodes import Y

RULE_SECTIONS = {"consider": "consider", "think_twice": "think_twice", "caveats": "caveat"}
RULE_KEYS = {"text", "short", "when", "unless", "strength", "source"}
STRENGTHS = {"consider": FIT_STRENGTHS, "think_twice": WARNING_STRENGTHS, "caveat": ()}
DEFAULT_STRENGTH = {"consider": "fit", "think_twice": "soft", "caveat": ""}
SOURCES = ("table", "article: ", "facts: ")


def load_rules(
    f: FileProblems, v: dict[object, Y], questions: dict[str, Question], declared: set[str], check_refs: bool
) -> list[Rule]:
    rules: list[Rule] = []
    for section, kind in RULE_SECTIONS.items():
        for item in f.records(v.get(section), section, f"{section} rule", RULE_KEYS, ("text",)):
            rule = _load_rule(f, item, kind, questions, declared, check_refs)
            if rule is not None:
                rules.append(rule)
    return rules


def _load_rule(
    f: FileProblems, item: Y, section: str, questions: dict[str, Question], declared: set[str], check_refs: bool
) -> Rule | None:
    v = item.value
    text = f.string(v.get("text"), "rule text")
    ok = text is not None

    strength = DEFAULT_STRENGTH[section]
    if "strength" in v:
        node = v["strength"]
        allowed = STRENGTHS[section]
        if not allowed:
            f.add(node.line, "caveats are shown, never counted: they take no strength")
            ok = False
        elif node.kind != "scalar" or node.value not in allowed:
            f.add(node.line, f"strength of a {section} point must be one of {', '.join(allowed)}, got {describe(node)}")
            ok = False
        else:
            strength = node.value
    short = ""
    if "short" in v:
        given_short = f.string(v["short"], "rule short")
        ok = ok and given_short is not None
        short = given_short or ""
    source = "table"
    if "source" in v:
        given = f.string(v["source"], "rule source")
        if given is None:
            ok = False
        elif not (given == "table" or given.startswith(SOURCES[1:]) and len(given.split(": ", 1)[1].strip()) > 0):
            f.add(v["source"].line, "source must be `table` (the article's table), `article: <its words>` "
                  f"or `facts: <a line of the fact sheet>`, got {given[:60]!r}")
            ok = False
        else:
            source = given

    if "when" in v and "unless" in v:
        f.add(v["unless"].line, "a rule takes either `when` or `unless`, not both")
        return None
    cond_key = "when" if "when" in v else "unless" if "unless" in v else None
    question_id: str | None = None
    options: frozenset[str] = frozenset()
    if cond_key is None:
        if section != "caveat":
            f.add(item.line, f"a {section} point needs a `when` or `unless` condition "
                  "(a point without one never counts)")
            ok = False
    elif cond_key == "unless" and section == "consider":
        # A consider point that stops holding once answered would let an answer remove a
        # candidate; the exact stop (bot/engine/settle.py) relies on answers only adding them.
        f.add(v["unless"].line, "consider points take `when`, not `unless`")
        return None
    else:
        condition = _load_condition(f, v[cond_key], cond_key, questions, declared, check_refs)
        if condition is None:
            return None
        question_id, options, cond_ok = condition
        ok = ok and cond_ok
    if not ok or text is None:
        return None
    return Rule(
        kind=section,  # type: ignore[arg-type]
        text=text,
        question=question_id,
        options=options,
        negate=cond_key == "unless",
        strength=strength,  # type: ignore[arg-type]
        source=source,
        short=short,
    )


def _load_condition(
    f: FileProblems, cond: Y, cond_key: str, questions: dict[str, Question], declared: set[str], check_refs: bool
) -> tuple[str, frozenset[str], bool] | None:
    """(question id, option ids, whether all is well), or None when the rule is unusable."""
    if cond.kind != "map":
        f.add(cond.line, f"{cond_key} must be a mapping {{question: [options]}}, got {describe(cond)}")
        return None
    if len(cond.value) != 1:
        f.add(cond.line, f"{cond_key} must name exactly one question, got {len(cond.value)}")
        return None
    (key, opts_node), = cond.value.items()
    key_line = cond.key_lines[key]
    if not isinstance(key, str):
        f.add(key_line, f"question id in {cond_key} must be a string, got {key_text(key)!r}")
        return None
    ok = True
    question = questions.get(key)
    if question is None and (not check_refs or key in declared):
        ok = False  # questions.yaml (or this question in it) has its own problem
    elif question is None:
        f.add(key_line, f"unknown question {key!r} in {cond_key}{did_you_mean(key, sorted(questions))}")
        ok = False
    if opts_node.kind == "scalar" and isinstance(opts_node.value, str):
        items = [opts_node]  # a single option may be written without brackets
    elif opts_node.kind == "seq":
        items = opts_node.value
        if not items:
            f.add(opts_node.line, f"{cond_key} lists no options for {key!r}")
            ok = False
    else:
        f.add(opts_node.line,
              f"options in {cond_key} must be a list of option ids, got {describe(opts_node)}{quote_hint(opts_node)}")
        return None
    ids = []
    for node in items:
        oid = f.string(node, f"option in {cond_key}")
        if oid is None:
            ok = False
            continue
        if question is not None and question.option(oid) is None:
            known = ", ".join(o.id for o in question.options)
            f.add(node.line, f"unknown option {oid!r} for question {key!r} in {cond_key} (options: {known})")
            ok = False
            continue
        ids.append(oid)
    return key, frozenset(ids), ok
