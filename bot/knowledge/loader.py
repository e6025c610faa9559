"""Load and validate the YAML knowledge base into the engine's frozen dataclasses.

Layout of a knowledge directory::

    questions.yaml          schema, settings, dimensions, questions (and optional `order`)
    frameworks/<id>.yaml    one file per framework; `id` must equal the file name

Framework order (it is the order of rankings ties, `compare` columns and listings):
if questions.yaml has an `order:` list of framework ids, that list is used and must name
every framework file exactly once. Otherwise frameworks are sorted by `prior` (highest
first), then by `first_release` (oldest first), then by id. For the shipped knowledge
that gives django, flask, fastapi, pyramid, bottle, cherrypy: the article's order.

Every problem found is collected (as many as can be found in one pass) and raised
together as a KnowledgeError whose str() has one `file:line: message` per line.
YAML is read with yaml.SafeLoader only: data, no Python tags.
"""
from __future__ import annotations

import difflib
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.engine.model import Framework, Knowledge, Link, Option, Question, Rule

from .yamlnodes import Y, YamlProblem, parse

SCHEMA_VERSION = 1
SPECTRUM = ("full-stack", "middle", "micro")
LINK_KINDS = ("docs", "tutorial", "extension", "reference")
RULE_SECTIONS = ("consider", "think_twice")

QUESTIONS_KEYS = {"schema", "settings", "dimensions", "questions", "order"}
SETTINGS_KEYS = {"confidence", "temperature"}
CONFIDENCE_KEYS = {"high", "medium"}
DIMENSION_KEYS = {"id", "label"}
QUESTION_KEYS = {"id", "short", "text", "help", "options"}
OPTION_KEYS = {"id", "label", "keywords"}
FRAMEWORK_KEYS = {
    "id", "name", "summary", "description", "spectrum", "first_release", "backing",
    "built_in", "prior", "dimensions", "links", "consider", "think_twice",
}
RULE_KEYS = {"text", "when", "unless", "weight", "veto"}
LINK_KEYS = {"title", "url", "kind"}


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


# --------------------------------------------------------------------------- helpers


class _File:
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
            self.add(y.line, f"{what} must be a mapping, got {_describe(y)}")
            return None
        return y

    def sequence(self, y: Y | None, what: str) -> list[Y]:
        if y is None:
            return []
        if y.kind != "seq":
            self.add(y.line, f"{what} must be a list, got {_describe(y)}")
            return []
        return y.value

    def keys(self, y: Y, allowed: set[str], required: Iterable[str], what: str) -> None:
        for key in y.value:
            if not isinstance(key, str) or key not in allowed:
                line = y.key_lines.get(key, y.line)
                hint = ""
                if isinstance(key, str):
                    close = difflib.get_close_matches(key, sorted(allowed), n=1)
                    if close:
                        hint = f"; did you mean {close[0]!r}?"
                expected = ", ".join(sorted(allowed))
                self.add(line, f"unknown key {_key_text(key)!r} in {what}{hint} (allowed: {expected})")
        for key in required:
            if key not in y.value:
                self.add(y.line, f"missing required key {key!r} in {what}")

    # -- scalars
    def string(self, y: Y | None, what: str, *, empty_ok: bool = False) -> str | None:
        if y is None:
            return None
        if y.kind != "scalar" or not isinstance(y.value, str):
            self.add(y.line, f"{what} must be a string, got {_describe(y)}{_quote_hint(y)}")
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
            self.add(y.line, f"{what} must be a number, got {_describe(y)}")
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


def _key_text(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def _describe(y: Y) -> str:
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


def _quote_hint(y: Y) -> str:
    if y.kind == "scalar" and y.plain and y.value is not None and not isinstance(y.value, str):
        if isinstance(y.value, bool):
            return f' (YAML 1.1 reads unquoted {y.raw} as a boolean: write "{y.raw}" in quotes)'
        return f' (write "{y.raw}" in quotes to make it a string)'
    return ""


def _https_problem(url: str) -> str | None:
    if url != url.strip() or any(c.isspace() for c in url):
        return "must not contain spaces"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        return f"is malformed ({exc})"
    if parts.scheme != "https":
        return "must use https"
    if not host or "." not in host or host.startswith(".") or host.endswith("."):
        return "must have a host name"
    return None


# --------------------------------------------------------------------------- reading


def _read(path: Path, name: str, problems: list[Problem]) -> Y | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(name, line, "file is not valid UTF-8"))
        return None
    try:
        root = parse(text)
    except YamlProblem as exc:
        problems.append(Problem(name, exc.line, exc.message))
        return None
    if root is None:
        problems.append(Problem(name, None, "file is empty"))
        return None
    if root.kind != "map":
        problems.append(Problem(name, root.line, f"top level must be a mapping, got {_describe(root)}"))
        return None
    return root


@dataclass
class _Settings:
    high: float = 4.0
    medium: float = 2.0
    temperature: float = 2.0


def _load_questions(
    f: _File, root: Y
) -> tuple[list[Question], list[tuple[str, str]], _Settings, Y | None, set[str]]:
    f.keys(root, QUESTIONS_KEYS, ("questions",), "questions.yaml")
    top = root.value

    if "schema" in top:
        schema = top["schema"]
        if schema.kind != "scalar" or isinstance(schema.value, bool) or schema.value != SCHEMA_VERSION:
            f.add(schema.line, f"unsupported schema {schema.raw or _describe(schema)!s}: this loader reads schema {SCHEMA_VERSION}")

    settings = _Settings()
    node = f.mapping(top.get("settings"), "settings")
    if node is not None:
        f.keys(node, SETTINGS_KEYS, (), "settings")
        conf = f.mapping(node.value.get("confidence"), "settings.confidence")
        if conf is not None:
            f.keys(conf, CONFIDENCE_KEYS, (), "settings.confidence")
            high = f.number(conf.value.get("high"), "settings.confidence.high", minimum=0)
            medium = f.number(conf.value.get("medium"), "settings.confidence.medium", minimum=0)
            settings.high = settings.high if high is None else high
            settings.medium = settings.medium if medium is None else medium
            if high is not None and medium is not None and medium > high:
                f.add(conf.line, f"settings.confidence.medium ({medium:g}) must not exceed high ({high:g})")
        temperature = f.number(node.value.get("temperature"), "settings.temperature", positive=True)
        if temperature is not None:
            settings.temperature = temperature

    dimensions: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for item in f.sequence(top.get("dimensions"), "dimensions"):
        if f.mapping(item, "each dimension") is None:
            continue
        f.keys(item, DIMENSION_KEYS, ("id", "label"), "dimension")
        dim_id = f.ident(item.value.get("id"), "dimension id")
        label = f.string(item.value.get("label"), "dimension label")
        if dim_id is None:
            continue
        if dim_id in seen:
            f.add(item.value["id"].line, f"duplicate dimension id {dim_id!r} (first on line {seen[dim_id]})")
            continue
        seen[dim_id] = item.value["id"].line
        dimensions.append((dim_id, label or dim_id))

    questions: list[Question] = []
    declared: set[str] = set()
    q_seen: dict[str, int] = {}
    q_node = top.get("questions")
    q_items = f.sequence(q_node, "questions")
    if q_node is not None and q_node.kind == "seq" and not q_items:
        f.add(q_node.line, "questions must not be empty")
    for item in q_items:
        if item.kind == "map" and isinstance(item.value.get("id"), Y) and isinstance(item.value["id"].value, str):
            declared.add(item.value["id"].value)
        question = _load_question(f, item)
        if question is None:
            continue
        line = item.value["id"].line
        if question.id in q_seen:
            f.add(line, f"duplicate question id {question.id!r} (first on line {q_seen[question.id]})")
            continue
        q_seen[question.id] = line
        questions.append(question)
    return questions, dimensions, settings, top.get("order"), declared


def _load_question(f: _File, item: Y) -> Question | None:
    if f.mapping(item, "each question") is None:
        return None
    f.keys(item, QUESTION_KEYS, ("id", "short", "text", "options"), "question")
    v = item.value
    qid = f.ident(v.get("id"), "question id")
    short = f.string(v.get("short"), "question short")
    text = f.string(v.get("text"), "question text")
    help_text = f.string(v.get("help"), "question help", empty_ok=True) if "help" in v else ""
    what = f"question {qid!r}" if qid else "question"
    options: list[Option] = []
    seen: dict[str, int] = {}
    opt_node = v.get("options")
    for opt in f.sequence(opt_node, f"options of {what}"):
        if f.mapping(opt, f"each option of {what}") is None:
            continue
        f.keys(opt, OPTION_KEYS, ("id", "label"), f"option of {what}")
        oid = f.ident(opt.value.get("id"), f"option id in {what}")
        label = f.string(opt.value.get("label"), f"option label in {what}")
        keywords = f.strings(opt.value.get("keywords"), f"keywords of option {oid!r}") if "keywords" in opt.value else []
        if oid is None:
            continue
        line = opt.value["id"].line
        if oid in seen:
            f.add(line, f"duplicate option id {oid!r} in {what} (first on line {seen[oid]})")
            continue
        seen[oid] = line
        options.append(Option(oid, label or oid, tuple(keywords)))
    if opt_node is not None and opt_node.kind == "seq" and len(opt_node.value) < 2:
        f.add(item.key_lines["options"], f"{what} needs at least 2 options, has {len(opt_node.value)}")
    if qid is None or short is None or text is None:
        return None
    return Question(qid, text, short, tuple(options), help_text or "")


def _load_framework(
    f: _File,
    root: Y,
    stem: str,
    questions: dict[str, Question],
    declared: set[str],
    dimension_ids: list[str],
    check_refs: bool,
) -> Framework | None:
    f.keys(root, FRAMEWORK_KEYS, ("id", "name", "summary"), "framework")
    v = root.value
    fid = f.ident(v.get("id"), "framework id")
    if fid is not None and fid != stem:
        f.add(v["id"].line, f"framework id {fid!r} does not match the file name ({stem!r})")
    name = f.string(v.get("name"), "name")
    summary = f.string(v.get("summary"), "summary")
    description = f.string(v.get("description"), "description") if "description" in v else ""
    backing = f.string(v.get("backing"), "backing") if "backing" in v else ""

    spectrum = ""
    if "spectrum" in v:
        spectrum = f.string(v["spectrum"], "spectrum") or ""
        if spectrum and spectrum not in SPECTRUM:
            f.add(v["spectrum"].line, f"spectrum must be one of {', '.join(SPECTRUM)}, got {spectrum!r}")

    first_release = None
    if "first_release" in v:
        node = v["first_release"]
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
            f.add(node.line, f"first_release must be a year, got {_describe(node)}")
        elif not 1990 <= node.value <= 2100:
            f.add(node.line, f"first_release {node.value} is not a plausible year")
        else:
            first_release = node.value

    prior = 0.0
    if "prior" in v:
        value = f.number(v["prior"], "prior")
        prior = 0.0 if value is None else value

    built_in = f.strings(v.get("built_in"), "built_in") if "built_in" in v else []

    dimensions: dict[str, str] = {}
    dims = f.mapping(v.get("dimensions"), "dimensions")
    if dims is not None:
        for key, node in dims.value.items():
            line = dims.key_lines[key]
            if key not in dimension_ids:
                hint = ""
                close = difflib.get_close_matches(str(key), dimension_ids, n=1)
                if close:
                    hint = f"; did you mean {close[0]!r}?"
                f.add(line, f"unknown dimension {_key_text(key)!r}{hint} (declared in questions.yaml: {', '.join(dimension_ids)})")
                continue
            text = f.string(node, f"dimension {key!r}")
            if text is not None:
                dimensions[key] = text

    links: list[Link] = []
    seen_urls: dict[str, int] = {}
    for item in f.sequence(v.get("links"), "links"):
        if f.mapping(item, "each link") is None:
            continue
        f.keys(item, LINK_KEYS, ("title", "url"), "link")
        title = f.string(item.value.get("title"), "link title")
        url = f.string(item.value.get("url"), "link url")
        kind = "docs"
        if "kind" in item.value:
            kind = f.string(item.value["kind"], "link kind") or "docs"
            if kind not in LINK_KINDS:
                f.add(item.value["kind"].line, f"link kind must be one of {', '.join(LINK_KINDS)}, got {kind!r}")
        if url is not None:
            line = item.value["url"].line
            problem = _https_problem(url)
            if problem:
                f.add(line, f"bad URL {url!r}: {problem}")
                url = None
            elif url in seen_urls:
                f.add(line, f"duplicate link {url!r} (first on line {seen_urls[url]})")
            else:
                seen_urls[url] = line
        if title is not None and url is not None:
            links.append(Link(title, url, kind))  # type: ignore[arg-type]

    rules: list[Rule] = []
    for section in RULE_SECTIONS:
        for item in f.sequence(v.get(section), section):
            rule = _load_rule(f, item, section, questions, declared, check_refs)
            if rule is not None:
                rules.append(rule)

    if fid is None or name is None or summary is None:
        return None
    return Framework(
        id=fid,
        name=name,
        summary=summary,
        description=description or "",
        spectrum=spectrum,
        first_release=first_release,
        backing=backing or "",
        built_in=tuple(built_in),
        prior=prior,
        dimensions=tuple((d, dimensions[d]) for d in dimension_ids if d in dimensions),
        rules=tuple(rules),
        links=tuple(links),
    )


def _load_rule(
    f: _File, item: Y, section: str, questions: dict[str, Question], declared: set[str], check_refs: bool
) -> Rule | None:
    if f.mapping(item, f"each {section} rule") is None:
        return None
    f.keys(item, RULE_KEYS, ("text",), f"{section} rule")
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
            f.add(node.line, f"veto must be true or false, got {_describe(node)}")
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
        cond = v[cond_key]
        if cond.kind != "map":
            f.add(cond.line, f"{cond_key} must be a mapping {{question: [options]}}, got {_describe(cond)}")
            return None
        if len(cond.value) != 1:
            f.add(cond.line, f"{cond_key} must name exactly one question, got {len(cond.value)}")
            return None
        (key, opts_node), = cond.value.items()
        key_line = cond.key_lines[key]
        if not isinstance(key, str):
            f.add(key_line, f"question id in {cond_key} must be a string, got {_key_text(key)!r}")
            return None
        question = questions.get(key)
        if question is None and (not check_refs or key in declared):
            ok = False  # questions.yaml (or this question in it) has its own problem
        elif question is None:
            hint = ""
            close = difflib.get_close_matches(key, sorted(questions), n=1)
            if close:
                hint = f"; did you mean {close[0]!r}?"
            f.add(key_line, f"unknown question {key!r} in {cond_key}{hint}")
            ok = False
        if opts_node.kind == "scalar" and isinstance(opts_node.value, str):
            items = [opts_node]  # a single option may be written without brackets
        elif opts_node.kind == "seq":
            items = opts_node.value
            if not items:
                f.add(opts_node.line, f"{cond_key} lists no options for {key!r}")
                ok = False
        else:
            f.add(opts_node.line, f"options in {cond_key} must be a list of option ids, got {_describe(opts_node)}{_quote_hint(opts_node)}")
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
        question_id = key
        options = frozenset(ids)
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


# --------------------------------------------------------------------------- entry point


def load_knowledge(path: str | Path, *, check_winners: bool = True) -> Knowledge:
    """Read `path`/questions.yaml and `path`/frameworks/*.yaml into a Knowledge.

    Raises KnowledgeError listing every problem found. With `check_winners` (the
    default) it also verifies that every framework can come out on top for some set of
    answers, using the engine's own scoring.
    """
    base = Path(path)
    problems: list[Problem] = []
    if not base.is_dir():
        raise KnowledgeError([Problem(str(base), None, "knowledge directory not found")])

    q_name = str(base / "questions.yaml")
    qf = _File(q_name, problems)
    questions: list[Question] = []
    dimensions: list[tuple[str, str]] = []
    settings = _Settings()
    order_node: Y | None = None
    declared: set[str] = set()
    q_root = None
    if not (base / "questions.yaml").is_file():
        qf.add(None, "file not found")
    else:
        q_root = _read(base / "questions.yaml", q_name, problems)
        if q_root is not None:
            questions, dimensions, settings, order_node, declared = _load_questions(qf, q_root)
    q_index = {q.id: q for q in questions}
    dimension_ids = [d for d, _ in dimensions]
    # If questions.yaml could not be read at all, references cannot be checked.
    check_refs = q_root is not None

    fw_dir = base / "frameworks"
    files = sorted([*fw_dir.glob("*.yaml"), *fw_dir.glob("*.yml")]) if fw_dir.is_dir() else []
    frameworks: list[Framework] = []
    id_lines: dict[str, tuple[str, int]] = {}
    seen: dict[str, str] = {}
    for file in files:
        name = str(file)
        ff = _File(name, problems)
        root = _read(file, name, problems)
        if root is None:
            continue
        framework = _load_framework(ff, root, file.stem, q_index, declared, dimension_ids, check_refs)
        if framework is None:
            continue
        if framework.id in seen:
            ff.add(root.value["id"].line, f"duplicate framework id {framework.id!r} (also in {seen[framework.id]})")
            continue
        seen[framework.id] = name
        id_lines[framework.id] = (name, root.value["id"].line)
        frameworks.append(framework)
    if len(files) < 2:
        problems.append(Problem(str(fw_dir), None, f"need at least 2 framework files (*.yaml), found {len(files)}"))

    order_line = q_root.key_lines.get("order") if q_root is not None else None
    frameworks = _ordered(qf, frameworks, order_node, order_line)

    if problems:
        raise KnowledgeError(problems)
    knowledge = Knowledge(
        questions=tuple(questions),
        frameworks=tuple(frameworks),
        dimensions=tuple(dimensions),
        confidence_high=settings.high,
        confidence_medium=settings.medium,
        temperature=settings.temperature,
        source=str(base),
    )
    if check_winners:
        for fid in unreachable_frameworks(knowledge):
            file, line = id_lines[fid]
            problems.append(Problem(file, line, f"framework {fid!r} can never come out on top"))
        if problems:
            raise KnowledgeError(problems)
    return knowledge


def _default_order(fw: Framework) -> tuple[float, int, str]:
    return (-fw.prior, fw.first_release or 9999, fw.id)


def _ordered(f: _File, frameworks: list[Framework], order_node: Y | None, order_line: int | None) -> list[Framework]:
    frameworks = sorted(frameworks, key=_default_order)
    if order_node is None:
        return frameworks
    index = {fw.id: fw for fw in frameworks}
    out: list[Framework] = []
    for item in f.sequence(order_node, "order"):
        fid = f.ident(item, "framework id in order")
        if fid is None:
            continue
        if fid not in index:
            f.add(item.line, f"order names {fid!r}, which has no frameworks/{fid}.yaml (or it failed to load)")
        elif index[fid] in out:
            f.add(item.line, f"order names {fid!r} twice")
        else:
            out.append(index[fid])
    missing = [fw.id for fw in frameworks if fw not in out]
    if missing and order_node.kind == "seq":
        f.add(order_line or order_node.line, f"order does not list: {', '.join(missing)}")
    return out + [fw for fw in frameworks if fw not in out]


# --------------------------------------------------------------------------- semantic check


def unreachable_frameworks(
    knowledge: Knowledge,
    winner: Callable[[Knowledge, dict[str, str]], str] | None = None,
    *,
    tries: int = 4000,
    seed: int = 1,
) -> list[str]:
    """Ids of frameworks that no set of answers puts on top, in knowledge order.

    `winner(knowledge, answers)` is the engine's pick (default: bot.engine.scoring.winner).
    For each framework it first tries answers built from the rules (trigger its
    `consider` rules, avoid its `think_twice` rules, prefer options that hurt the
    others), then single answers, then a bounded, seeded random search. So "never" means
    "not found by this search": a framework reported here is at best extremely hard to
    reach.
    """
    if winner is None:
        from bot.engine.scoring import winner as engine_winner

        winner = engine_winner
    found: set[str] = set()

    def attempt(answers: dict[str, str]) -> None:
        found.add(winner(knowledge, answers))

    ids = [fw.id for fw in knowledge.frameworks]
    attempt({})
    for fw in knowledge.frameworks:
        if fw.id in found:
            continue
        for answers in _candidates(knowledge, fw):
            attempt(answers)
            if fw.id in found:
                break
    if len(found) < len(ids):
        rng = random.Random(seed)
        choices = [[None, *(o.id for o in q.options)] for q in knowledge.questions]
        qids = [q.id for q in knowledge.questions]
        for _ in range(tries):
            answers = {}
            for qid, opts in zip(qids, choices):
                pick = rng.choice(opts)
                if pick is not None:
                    answers[qid] = pick
            attempt(answers)
            if len(found) == len(ids):
                break
    return [fid for fid in ids if fid not in found]


def _effect(fw: Framework, qid: str, oid: str | None) -> tuple[float, int]:
    """(score change, veto change) of answering qid with oid (None: unanswered) for fw."""
    score, veto = 0.0, 0
    for rule in fw.rules:
        if rule.question != qid:
            continue
        applies = (oid in rule.options) != rule.negate if oid is not None else rule.negate
        if applies:
            score += rule.weight if rule.kind == "consider" else -rule.weight
            veto += rule.veto
    return score, veto


def _candidates(knowledge: Knowledge, fw: Framework) -> Iterable[dict[str, str]]:
    others = [g for g in knowledge.frameworks if g.id != fw.id]
    greedy_max: dict[str, str] = {}
    greedy_sum: dict[str, str] = {}
    own_only: dict[str, str] = {}
    for q in knowledge.questions:
        best_max = best_sum = best_own = None
        for oid in [None, *(o.id for o in q.options)]:
            mine, my_veto = _effect(fw, q.id, oid)
            theirs = [_effect(g, q.id, oid) for g in others]
            penalty = 1000.0 * my_veto
            # vetoing a rival is as good as a large lead over it
            rival = [s - 1000.0 * v for s, v in theirs]
            key_max = mine - penalty - max(rival, default=0.0)
            key_sum = mine - penalty - sum(rival) / max(len(rival), 1)
            key_own = mine - penalty
            if best_max is None or key_max > best_max[0]:
                best_max = (key_max, oid)
            if best_sum is None or key_sum > best_sum[0]:
                best_sum = (key_sum, oid)
            if best_own is None or key_own > best_own[0]:
                best_own = (key_own, oid)
        for best, target in ((best_max, greedy_max), (best_sum, greedy_sum), (best_own, own_only)):
            if best is not None and best[1] is not None:
                target[q.id] = best[1]
    yield greedy_max
    yield greedy_sum
    yield own_only
    for rule in fw.rules:
        if rule.kind == "consider" and rule.question and not rule.negate:
            for oid in sorted(rule.options):
                yield {rule.question: oid}
                yield {**greedy_max, rule.question: oid}
