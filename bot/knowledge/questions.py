"""questions.yaml: schema version, settings, dimensions and the questions with their options."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.model import DECISION_ORDER, DEFAULT_POINTS, Option, Question

from .problems import FileProblems, describe
from .yamlnodes import Y

SCHEMA_VERSION = 1

QUESTIONS_KEYS = {"schema", "settings", "dimensions", "questions", "order"}
SETTINGS_KEYS = {"decision"}
DECISION_KEYS = {"decides", "rule", "points"}
POINT_KEYS = {k for k, _ in DEFAULT_POINTS}
DIMENSION_KEYS = {"id", "label"}
QUESTION_KEYS = {"id", "short", "text", "help", "options"}
OPTION_KEYS = {"id", "label", "keywords", "likely"}


@dataclass
class Settings:
    points: tuple[tuple[str, float], ...] = DEFAULT_POINTS
    decides: str | None = None
    decides_line: int | None = None


@dataclass
class QuestionsFile:
    """What questions.yaml gives the rest of the loader."""

    questions: list[Question] = field(default_factory=list)
    dimensions: list[tuple[str, str]] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    order: Y | None = None
    order_line: int | None = None
    # Every question id written in the file, loaded or not: a framework rule naming one
    # that failed to load must not also be reported as an unknown question.
    declared: set[str] = field(default_factory=set)


def load_questions(f: FileProblems, root: Y) -> QuestionsFile:
    f.keys(root, QUESTIONS_KEYS, ("questions",), "questions.yaml")
    top = root.value
    out = QuestionsFile(order=top.get("order"), order_line=root.key_lines.get("order"))

    if "schema" in top:
        schema = top["schema"]
        if schema.kind != "scalar" or isinstance(schema.value, bool) or schema.value != SCHEMA_VERSION:
            f.add(schema.line,
                  f"unsupported schema {schema.raw or describe(schema)!s}: this loader reads schema {SCHEMA_VERSION}")

    node = f.mapping(top.get("settings"), "settings")
    if node is not None:
        _load_settings(f, node, out.settings)

    seen: dict[str, int] = {}
    for item in f.records(top.get("dimensions"), "dimensions", "dimension", DIMENSION_KEYS, ("id", "label")):
        dim_id = f.ident(item.value.get("id"), "dimension id")
        label = f.string(item.value.get("label"), "dimension label")
        if dim_id is not None and f.first(seen, dim_id, item.value["id"].line, f"dimension id {dim_id!r}"):
            out.dimensions.append((dim_id, label or dim_id))

    q_seen: dict[str, int] = {}
    q_node = top.get("questions")
    if q_node is not None and q_node.kind == "seq" and not q_node.value:
        f.add(q_node.line, "questions must not be empty")
    for item in f.records(q_node, "questions", "question", QUESTION_KEYS, ("id", "short", "text", "options")):
        if isinstance(item.value.get("id"), Y) and isinstance(item.value["id"].value, str):
            out.declared.add(item.value["id"].value)
        question = _load_question(f, item)
        if question is not None and f.first(q_seen, question.id, item.value["id"].line, f"question id {question.id!r}"):
            out.questions.append(question)
    return out


def _load_settings(f: FileProblems, node: Y, settings: Settings) -> None:
    f.keys(node, SETTINGS_KEYS, (), "settings")
    decision = f.mapping(node.value.get("decision"), "settings.decision")
    if decision is not None:
        _load_decision(f, decision, settings)


def _load_decision(f: FileProblems, node: Y, settings: Settings) -> None:
    f.keys(node, DECISION_KEYS, (), "settings.decision")
    if "decides" in node.value:
        settings.decides = f.ident(node.value["decides"], "settings.decision.decides")
        settings.decides_line = node.value["decides"].line
    if "rule" in node.value:
        order = [item.value for item in f.sequence(node.value["rule"], "settings.decision.rule")]
        if tuple(order) != DECISION_ORDER:
            f.add(node.value["rule"].line, "settings.decision.rule must be "
                  f"[{', '.join(DECISION_ORDER)}]: it documents the engine, it does not reorder it")
    points = f.mapping(node.value.get("points"), "settings.decision.points")
    if points is not None:
        _load_points(f, points, settings)


def _load_points(f: FileProblems, node: Y, settings: Settings) -> None:
    """The weight of each kind of point. Consistent means: a strong fit outweighs one soft
    warning, and one soft warning outweighs one plain fit (the article's defining cases
    carry a framework past a warning; a warning is more than a passing fit)."""
    f.keys(node, POINT_KEYS, (), "settings.decision.points")
    weights = dict(DEFAULT_POINTS)
    for key in POINT_KEYS:
        if key in node.value:
            w = f.number(node.value[key], f"settings.decision.points.{key}", positive=True)
            if w is not None:
                weights[key] = w
    if not weights["strong"] > weights["soft"] > weights["fit"]:
        f.add(node.line, "settings.decision.points must weigh strong > soft > fit (a strong fit outweighs one soft "
              f"warning, which outweighs one fit), got strong {weights['strong']:g}, soft {weights['soft']:g}, "
              f"fit {weights['fit']:g}")
        return
    settings.points = tuple((k, weights[k]) for k, _ in DEFAULT_POINTS)


def _load_question(f: FileProblems, item: Y) -> Question | None:
    v = item.value
    qid = f.ident(v.get("id"), "question id")
    short = f.string(v.get("short"), "question short")
    text = f.string(v.get("text"), "question text")
    help_text = f.string(v.get("help"), "question help", empty_ok=True) if "help" in v else ""
    what = f"question {qid!r}" if qid else "question"
    options: list[Option] = []
    seen: dict[str, int] = {}
    opt_node = v.get("options")
    for opt in f.records(opt_node, f"options of {what}", f"option of {what}", OPTION_KEYS, ("id", "label")):
        oid = f.ident(opt.value.get("id"), f"option id in {what}")
        label = f.string(opt.value.get("label"), f"option label in {what}")
        keywords = (f.strings(opt.value.get("keywords"), f"keywords of option {oid!r}")
                    if "keywords" in opt.value else [])
        likely = (f.number(opt.value["likely"], f"likely of option {oid!r}", minimum=0)
                  if "likely" in opt.value else None)
        if likely is not None and likely > 1:
            f.add(opt.value["likely"].line, f"likely of option {oid!r} is a probability: at most 1, got {likely:g}")
            likely = None
        if oid is not None and f.first(seen, oid, opt.value["id"].line, f"option id {oid!r} in {what}"):
            options.append(Option(oid, label or oid, tuple(keywords), likely))
    if opt_node is not None and opt_node.kind == "seq" and len(opt_node.value) < 2:
        f.add(item.key_lines["options"], f"{what} needs at least 2 options, has {len(opt_node.value)}")
    if qid is None or short is None or text is None:
        return None
    return Question(qid, text, short, tuple(options), help_text or "")
