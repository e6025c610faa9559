"""The `consider` and `think_twice` rules of a framework file.

A rule is text, optionally scored: `weight` and `veto` apply when its condition
(`when: {question: [options]}`, or its negation `unless:`) holds for the user's answers.
"""
from __future__ import annotations

from bot.engine.model import Question, Rule

from .problems import FileProblems, describe, did_you_mean, key_text, quote_hint
from .yamlnodes import Y

RULE_SECTIONS = ("consider", "think_twice")
RULE_KEYS = {"text", "when", "unless", "weight", "veto"}


def load_rules(
    f: FileProblems, v: dict[object, Y], questions: dict[str, Question], declared: set[str], check_refs: bool
) -> list[Rule]:
    rules: list[Rule] = []
    for section in RULE_SECTIONS:
        for item in f.records(v.get(section), section, f"{section} rule", RULE_KEYS, ("text",)):
            rule = _load_rule(f, item, section, questions, declared, check_refs)
            if rule is not None:
                rules.append(rule)
    return rules


def _load_rule(
    f: FileProblems, item: Y, section: str, questions: dict[str, Question], declared: set[str], check_refs: bool
) -> Rule | None:
    v = item.value
    text = f.string(v.get("text"), "rule text")
    ok = text is not None

    weight = 0.0
    if "weight" in v:
        w = f.number(v["weight"], "weight", minimum=0)
        if w is None:
            ok = False
        else:
            weight = w
    veto = False
    if "veto" in v:
        node = v["veto"]
        if node.kind != "scalar" or not isinstance(node.value, bool):
            f.add(node.line, f"veto must be true or false, got {describe(node)}")
            ok = False
        else:
            veto = node.value

    if "when" in v and "unless" in v:
        f.add(v["unless"].line, "a rule takes either `when` or `unless`, not both")
        return None
    cond_key = "when" if "when" in v else "unless" if "unless" in v else None
    question_id: str | None = None
    options: frozenset[str] = frozenset()
    if cond_key is None:
        if weight or veto:
            line = v["weight"].line if "weight" in v else v["veto"].line
            f.add(line, "weight and veto need a `when` or `unless` condition (a rule without one never scores)")
            ok = False
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
        weight=weight,
        veto=veto,
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
        f.add(opts_node.line, f"options in {cond_key} must be a list of option ids, got {describe(opts_node)}{quote_hint(opts_node)}")
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
