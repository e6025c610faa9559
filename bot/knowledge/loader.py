"""Load and validate the YAML knowledge base into the engine's frozen dataclasses.

Layout of a knowledge directory::

    questions.yaml          schema, settings, dimensions, questions (and optional `order`)
    text.yaml               optional: how free text is read (cues around the keywords)
    frameworks/<id>.yaml    one file per framework; `id` must equal the file name.
                            `in_article: false` marks one outside the article (sourced
                            facts required, not the pick unless allowed; see facts.py)
    also_consider.yaml      optional: "also consider" rules and the second tier's settings
                            (see suggestions.py)

Framework order (it is the order of rankings ties, `compare` columns and listings):
if questions.yaml has an `order:` list of framework ids, that list is used and must name
every framework file exactly once. Otherwise frameworks are sorted by `prior` (highest
first), then by `first_release` (oldest first), then by id. For the shipped knowledge
that gives django, flask, fastapi, pyramid, bottle, cherrypy: the article's order.
Frameworks outside the article come after the article's, in the same way.

Every problem found is collected (as many as can be found in one pass) and raised
together as a KnowledgeError whose str() has one `file:line: message` per line. A file
that cannot be parsed (YAML syntax, not UTF-8, not a mapping) stops the load after the
reading pass: its file:line is reported and nothing that depends on it is checked.
YAML is read with yaml.SafeLoader only: data, no Python tags.

This module reads the files and puts the pieces together: questions.py, frameworks.py
and rules.py validate the contents, problems.py collects what is wrong, and
reachability.py checks that every framework can win.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.engine.model import Framework, Knowledge
from bot.engine.textrules import TextRules

from .fingerprint import fingerprint
from .frameworks import load_framework
from .problems import FileProblems, KnowledgeError, Problem, describe
from .questions import QuestionsFile, load_questions
from .precedence import point_problems
from .reachability import unreachable_frameworks
from .suggestions import AlsoConsider, load_also_consider
from .text import load_text
from .yamlnodes import Y, YamlProblem, parse

__all__ = ["KnowledgeError", "Problem", "load_knowledge", "unreachable_frameworks"]


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
    qf = FileProblems(q_name, problems)
    fw_dir = base / "frameworks"
    files = sorted([*fw_dir.glob("*.yaml"), *fw_dir.glob("*.yml")]) if fw_dir.is_dir() else []
    # Read (parse) every file first. A file that is not valid YAML is reported with its
    # file:line and nothing else is checked: what it would have declared is unknown, so every
    # later check would only add follow-on errors ("unknown dimension" for each reference).
    q_root = _read(base / "questions.yaml", q_name, problems) if (base / "questions.yaml").is_file() else None
    roots = {file: _read(file, str(file), problems) for file in files}
    also_path = base / "also_consider.yaml"
    also_root = _read(also_path, str(also_path), problems) if also_path.is_file() else None
    text_path = base / "text.yaml"
    text_root = _read(text_path, str(text_path), problems) if text_path.is_file() else None
    if problems:
        raise KnowledgeError(problems)

    q = QuestionsFile()
    if not (base / "questions.yaml").is_file():
        qf.add(None, "file not found")
    elif q_root is not None:
        q = load_questions(qf, q_root)
    q_index = {question.id: question for question in q.questions}
    dimension_ids = [d for d, _ in q.dimensions]
    # If questions.yaml could not be read at all, references cannot be checked.
    check_refs = q_root is not None

    text = TextRules()
    if text_root is not None and check_refs:
        text = load_text(FileProblems(str(text_path), problems), text_root, q_index, q.declared)

    frameworks: list[Framework] = []
    id_lines: dict[str, tuple[str, int]] = {}
    seen: dict[str, str] = {}
    extra_picks: dict[str, tuple[str, int]] = {}
    for file in files:
        name = str(file)
        ff = FileProblems(name, problems)
        root = roots[file]
        if root is None:
            continue
        framework = load_framework(ff, root, file.stem, q_index, q.declared, dimension_ids, check_refs)
        if framework is None:
            continue
        if framework.id in seen:
            ff.add(root.value["id"].line, f"duplicate framework id {framework.id!r} (also in {seen[framework.id]})")
            continue
        seen[framework.id] = name
        id_lines[framework.id] = (name, root.value["id"].line)
        if not framework.in_article and framework.pickable:
            extra_picks[framework.id] = (name, root.value["pickable"].line)
        frameworks.append(framework)
    if len(files) < 2:
        problems.append(Problem(str(fw_dir), None, f"need at least 2 framework files (*.yaml), found {len(files)}"))

    frameworks = _ordered(qf, frameworks, q.order, q.order_line)
    also = _also_consider(also_root, also_path, problems, q, frameworks, check_refs)
    if not also.allow_extra_picks:
        for name, line in extra_picks.values():
            problems.append(Problem(name, line, "pickable: true outside the article needs "
                                                "`allow_extra_picks: true` in also_consider.yaml"))
    if len(files) >= 2 and len(frameworks) == len(files) and len([f for f in frameworks if f.pickable]) < 2:
        problems.append(Problem(str(fw_dir), None, "need at least 2 frameworks that can be picked"))

    _check_decides(qf, q, q_index)
    if problems:
        raise KnowledgeError(problems)
    knowledge = Knowledge(
        questions=tuple(q.questions),
        frameworks=tuple(frameworks),
        dimensions=tuple(q.dimensions),
        decides=q.settings.decides,
        points=q.settings.points,
        source=str(base),
        fingerprint=fingerprint(base),
        suggestion_rules=tuple(also.rules),
        max_suggestions=also.max,
        facts_as_of=also.facts_as_of,
        text=text,
    )
    for fid, message in point_problems(knowledge):
        where, line = id_lines[fid]
        problems.append(Problem(where, line, message))
    if problems:
        raise KnowledgeError(problems)
    if check_winners:
        for fid in unreachable_frameworks(knowledge):
            where, line = id_lines[fid]
            problems.append(Problem(where, line, f"framework {fid!r} can never come out on top"))
        if problems:
            raise KnowledgeError(problems)
    return knowledge


def _also_consider(root: Y | None, path: Path, problems: list[Problem], q: QuestionsFile,
                   frameworks: list[Framework], check_refs: bool) -> AlsoConsider:
    if root is None or not check_refs:
        return AlsoConsider()
    questions = {question.id: question for question in q.questions}
    return load_also_consider(FileProblems(str(path), problems), root, questions, q.declared,
                              {f.id: f for f in frameworks})
def _check_decides(f: FileProblems, q: QuestionsFile, q_index: Mapping[str, object]) -> None:
    decides = q.settings.decides
    if decides is not None and decides not in q_index and decides not in q.declared:
        f.add(q.settings.decides_line, f"settings.decision.decides names {decides!r}, which is not a question")


def _read(path: Path, name: str, problems: list[Problem]) -> Y | None:
    """The top-level mapping of one YAML file, or None after reporting why not."""
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
        problems.append(Problem(name, root.line, f"top level must be a mapping, got {describe(root)}"))
        return None
    return root


def _default_order(fw: Framework) -> tuple[bool, float, int, str]:
    return (not fw.in_article, -fw.prior, fw.first_release or 9999, fw.id)


def _ordered(f: FileProblems, frameworks: list[Framework], order_node: Y | None,
             order_line: int | None) -> list[Framework]:
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
    missing = [fw.id for fw in frameworks if fw not in out and fw.in_article]  # the others may follow
    if missing and order_node.kind == "seq":
        f.add(order_line or order_node.line, f"order does not list: {', '.join(missing)}")
    return out + [fw for fw in frameworks if fw not in out]
