"""Broken knowledge is refused with `file:line: message` problems that point at the real line.

Most cases copy the shipped knowledge/ to tmp_path and break one thing; two cases are
checked-in fixtures under tests/fixtures/knowledge_broken/.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, Problem, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "knowledge_broken"


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` with `new` in path; return the 1-based line where `new` starts."""
    text = path.read_text()
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):])
    return text.count("\n", 0, at) + 1


def insert_after(path: Path, anchor: str, block: str) -> int:
    """Insert `block` (whole lines) after the line containing `anchor`; return its first line."""
    lines = path.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if anchor in line)
    lines[index + 1:index + 1] = [block if block.endswith("\n") else block + "\n"]
    path.write_text("".join(lines))
    return index + 2


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def problems(directory: Path) -> list[Problem]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory)
    error = info.value
    # str() is one `file:line: message` line per problem
    assert str(error).splitlines() == [str(p) for p in error.problems]
    return error.problems


def assert_problem(found: list[Problem], file: Path, line: int | None, pattern: str) -> Problem:
    for problem in found:
        if problem.file == str(file) and problem.line == line and re.search(pattern, problem.message):
            return problem
    listing = "\n".join(str(p) for p in found)
    raise AssertionError(f"no problem {file}:{line}: /{pattern}/ in:\n{listing}")


# ---------------------------------------------------------------- checked-in fixtures


def test_fixture_syntax_error() -> None:
    directory = FIXTURES / "syntax_error"
    found = problems(directory)
    beta = directory / "frameworks" / "beta.yaml"
    assert_problem(found, beta, 3, r"YAML syntax error: mapping values are not allowed")
    assert str(found[0]).startswith(f"{beta}:3: YAML syntax error")
    assert len(found) == 1


def test_fixture_framework_that_can_never_win() -> None:
    directory = FIXTURES / "never_wins"
    found = problems(directory)
    gamma = directory / "frameworks" / "gamma.yaml"
    assert [str(p) for p in found] == [f"{gamma}:1: framework 'gamma' can never come out on top"]


# ---------------------------------------------------------------- copies of the real knowledge


def test_syntax_error_in_copy(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    line = replace(path, 'name: Pyramid', 'name: [Pyramid')
    found = problems(kdir)
    problem = assert_problem(found, path, line + 1, r"YAML syntax error")
    assert f"started on line {line}" in problem.message


def test_unknown_question_in_when(kdir: Path) -> None:
    path = kdir / "frameworks" / "flask.yaml"
    line = replace(path, "when: {control: [minimal]}", "when: {perf: [minimal]}")
    found = problems(kdir)
    problem = assert_problem(found, path, line, r"^unknown question 'perf' in when")
    assert str(problem) == f"{path}:{line}: {problem.message}"


def test_unknown_question_suggests_the_close_one(kdir: Path) -> None:
    path = kdir / "frameworks" / "django.yaml"
    line = replace(path, "when: {performance: [critical]}", "when: {performanse: [critical]}")
    assert_problem(problems(kdir), path, line, r"unknown question 'performanse' in when; did you mean 'performance'")


def test_unknown_question_in_unless(kdir: Path) -> None:
    path = kdir / "frameworks" / "cherrypy.yaml"
    line = replace(path, "unless: {experience: [cherrypy]}", "unless: {expertise: [cherrypy]}")
    assert_problem(problems(kdir), path, line, r"unknown question 'expertise' in unless")


def test_unknown_option(kdir: Path) -> None:
    path = kdir / "frameworks" / "django.yaml"
    line = replace(path, "when: {data: [crud]}", "when: {data: [crudd]}")
    assert_problem(problems(kdir), path, line, r"unknown option 'crudd' for question 'data'")


def test_unknown_option_on_its_own_line(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = replace(path, "when: {scope: [prototypes]}",
                   "when:\n      scope:\n        - prototypes\n        - prototype")
    assert_problem(problems(kdir), path, line + 3, r"unknown option 'prototype' for question 'scope'")


def test_duplicate_option_id(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = insert_after(path, "{id: api, label:", '      - {id: api, label: "An API again"}')
    assert_problem(problems(kdir), path, line, r"duplicate option id 'api' in question 'style' \(first on line \d+\)")


def test_duplicate_question_id(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, "  - id: admin\n", "  - id: scope\n")
    assert_problem(problems(kdir), path, line, r"duplicate question id 'scope'")


def test_duplicate_dimension_id(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, "{id: team, label:", "{id: style, label:")
    assert_problem(problems(kdir), path, line, r"duplicate dimension id 'style'")


def test_duplicate_mapping_key(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = insert_after(path, "name: Bottle", "name: Bottle again")
    assert_problem(problems(kdir), path, line, r"duplicate key 'name' \(first on line 2\)")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://flask.palletsprojects.com/", "must use https"),
        ("https:///tutorial/", "must have a host name"),
        ("flask.palletsprojects.com/tutorial", "must use https"),
        ("https://flask.palletsprojects .com/", "must not contain spaces"),
        ("https://localhost/", "must have a host name"),
    ],
)
def test_bad_url(kdir: Path, url: str, reason: str) -> None:
    path = kdir / "frameworks" / "flask.yaml"
    line = replace(path, '"https://flask-caching.readthedocs.io/en/latest/"', f'"{url}"')
    assert_problem(problems(kdir), path, line, rf"^bad URL '{re.escape(url)}': {reason}")


def test_unknown_key_in_rule(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = replace(path, "    strength: strong\n", "    strenght: strong\n")
    assert_problem(problems(kdir), path, line, r"unknown key 'strenght' in consider rule; did you mean 'strength'\?")


def test_unknown_top_level_key(kdir: Path) -> None:
    path = kdir / "frameworks" / "django.yaml"
    line = replace(path, "description: >-", "descripton: >-")
    found = problems(kdir)
    assert_problem(found, path, line, r"unknown key 'descripton' in framework; did you mean 'description'\?")


def test_unknown_key_in_questions_file(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, "    short: Scope\n", "    short: Scope\n    hint: nope\n") + 1
    assert_problem(problems(kdir), path, line, r"unknown key 'hint' in question")


def test_missing_required_key(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    replace(path, 'summary: "An established', 'tagline: "An established')
    found = problems(kdir)
    assert_problem(found, path, 1, r"missing required key 'summary' in framework")


def test_unquoted_yes_is_rejected_with_a_hint(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, '{id: "yes", label: "Yes", keywords: ["async"', '{id: yes, label: "Yes", keywords: ["async"')
    problem = assert_problem(problems(kdir), path, line, r"option id .* must be a string, got the boolean yes")
    assert 'write "yes" in quotes' in problem.message


def test_unquoted_yes_in_when_is_rejected_with_a_hint(kdir: Path) -> None:
    path = kdir / "frameworks" / "fastapi.yaml"
    line = replace(path, 'when: {realtime: ["yes"]}', "when: {realtime: [yes]}")
    problem = assert_problem(problems(kdir), path, line, r"option in when must be a string, got the boolean yes")
    assert "YAML 1.1" in problem.message


def test_when_and_unless_together(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    line = replace(path, "    when: {team: [growing]}\n",
                   "    when: {team: [growing]}\n    unless: {team: [stable]}\n") + 1
    assert_problem(problems(kdir), path, line, r"either `when` or `unless`, not both")


def test_when_with_two_questions(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    line = replace(path, "when: {team: [growing]}", "when: {team: [growing], scope: [growing]}")
    assert_problem(problems(kdir), path, line, r"when must name exactly one question, got 2")


@pytest.mark.parametrize(("value", "pattern"), [
    ("-1", r"points.strong must be (greater than|more than|positive)"),
    ('"3"', r"points.strong must be a number"),
    (".inf", r"points.strong must be a finite number"),
    ("2", r"must weigh strong > soft > fit .*got strong 2, soft 2, fit 1"),
])
def test_bad_point_weight(kdir: Path, value: str, pattern: str) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, "      strong: 3\n", f"      strong: {value}\n")
    found = problems(kdir)
    assert any(p.file == str(path) and p.line in (line, line - 1) and re.search(pattern, p.message)
               for p in found), found


def test_bad_link_kind(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = replace(path, 'kind: tutorial}', 'kind: video}')
    assert_problem(problems(kdir), path, line, r"link kind must be one of docs, tutorial, extension, reference")


def test_unknown_dimension(kdir: Path) -> None:
    path = kdir / "frameworks" / "cherrypy.yaml"
    line = replace(path, "  longevity:", "  longvity:")
    assert_problem(problems(kdir), path, line, r"unknown dimension 'longvity'; did you mean 'longevity'")


def test_framework_id_must_match_file_name(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    replace(path, "id: bottle\n", "id: flask\n")
    assert_problem(problems(kdir), path, 1, r"framework id 'flask' does not match the file name \('bottle'\)")


def test_question_needs_two_options(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    replace(path, '      - {id: "no", label: "No", keywords: ["no admin"]}\n', "")
    line = line_of(path, "Do you need an admin panel") + 1
    assert_problem(problems(kdir), path, line, r"question 'admin' needs at least 2 options, has 1")


def test_at_least_two_frameworks(kdir: Path) -> None:
    (kdir / "also_consider.yaml").unlink()
    for file in (kdir / "frameworks").glob("*.yaml"):
        if file.stem != "django":
            file.unlink()
    found = problems(kdir)
    assert_problem(found, kdir / "frameworks", None, r"need at least 2 framework files")


def test_python_tags_are_refused(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = replace(path, "prior: 1\n", "prior: !!python/object/apply:os.getpid []\n")
    assert_problem(problems(kdir), path, line, r"unsupported YAML")


def test_framework_that_can_never_win_in_copy(kdir: Path) -> None:
    # bottle loses every consider point and the "Yes, with Bottle" answer: it is never a
    # candidate, and when nobody is one the tie goes to the more widely used frameworks
    path = kdir / "frameworks" / "bottle.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("consider:")] + "think_twice:" + text.split("think_twice:")[1])
    questions = kdir / "questions.yaml"
    questions.write_text("".join(line for line in questions.read_text().splitlines(keepends=True)
                                 if "{id: bottle, label:" not in line))
    found = problems(kdir)
    assert [str(p) for p in found] == [f"{path}:1: framework 'bottle' can never come out on top"]


def test_a_fit_and_a_warning_on_one_answer_contradict(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    replace(path, "    when: {scope: [growing]}\n", "    when: {team: [growing]}\n")
    found = problems(kdir)
    assert_problem(found, path, 1, r"both hold for team=growing: one answer cannot be a fit and a warning")


def test_a_point_needs_a_source_of_a_known_kind(kdir: Path) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    line = replace(path, '    source: "article: Pyramid is', '    source: "blog: Pyramid is')
    assert_problem(problems(kdir), path, line, r"source must be `table`")


@pytest.mark.parametrize(("old", "new", "pattern"), [
    ("    when: {team: [growing]}\n    strength: hard\n", "    when: {team: [growing]}\n    strength: strong\n",
     r"strength of a think_twice point must be one of soft, hard"),
    ("    when: {control: [balanced]}\n    strength: strong\n", "    when: {control: [balanced]}\n    strength: hard\n",
     r"strength of a consider point must be one of strong, fit"),
    ("    when: {control: [balanced]}\n", "    unless: {control: [balanced]}\n",
     r"consider points take `when`, not `unless`"),
])
def test_point_kinds_are_checked(kdir: Path, old: str, new: str, pattern: str) -> None:
    path = kdir / "frameworks" / "pyramid.yaml"
    line = replace(path, old, new)
    assert any(p.file == str(path) and p.line in (line, line + 1) and re.search(pattern, p.message)
               for p in problems(kdir))


def test_decision_order_is_the_articles(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    line = replace(path, "rule: [decides, hard, score, share]", "rule: [decides, score, hard, share]")
    assert_problem(problems(kdir), path, line, r"settings.decision.rule must be \[decides, hard, score, share\]")
    replace(path, "rule: [decides, score, hard,", "rule: [decides, hard, score,")
    line = replace(path, "decides: experience", "decides: experiense")
    assert_problem(problems(kdir), path, line, r"decides names 'experiense', which is not a question")


def test_missing_directory_and_files(tmp_path: Path) -> None:
    assert_problem(problems(tmp_path / "nope"), tmp_path / "nope", None, r"knowledge directory not found")
    (tmp_path / "empty").mkdir()
    found = problems(tmp_path / "empty")
    assert_problem(found, tmp_path / "empty" / "questions.yaml", None, r"file not found")


def test_empty_and_non_mapping_files(kdir: Path) -> None:
    (kdir / "frameworks" / "bottle.yaml").write_text("# nothing here\n")
    (kdir / "frameworks" / "pyramid.yaml").write_text("- just\n- a list\n")
    found = problems(kdir)
    assert_problem(found, kdir / "frameworks" / "bottle.yaml", None, r"file is empty")
    assert_problem(found, kdir / "frameworks" / "pyramid.yaml", 1, r"top level must be a mapping")


def test_several_problems_are_reported_together(kdir: Path) -> None:
    flask = kdir / "frameworks" / "flask.yaml"
    django = kdir / "frameworks" / "django.yaml"
    l1 = replace(flask, "when: {control: [minimal]}", "when: {perf: [minimal]}")
    l2 = replace(django, "when: {data: [crud]}", "when: {data: [crudd]}")
    found = problems(kdir)
    assert_problem(found, flask, l1, r"unknown question 'perf'")
    assert_problem(found, django, l2, r"unknown option 'crudd'")


def test_an_invalid_question_does_not_cascade_into_its_rules(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    replace(path, "    short: Web development style\n", "")
    found = problems(kdir)
    line = line_of(path, "  - id: style")
    assert [str(p) for p in found] == [f"{path}:{line}: missing required key 'short' in question"]


def test_control_characters_are_a_one_line_problem(kdir: Path) -> None:
    path = kdir / "frameworks" / "bottle.yaml"
    line = replace(path, "name: Bottle", "name: Bot\x07tle")
    problem = assert_problem(problems(kdir), path, line, r"YAML error: unacceptable character")
    assert "\n" not in problem.message


def test_order_key_sets_the_framework_order(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    path.write_text(path.read_text() + "\norder: [cherrypy, bottle, pyramid, fastapi, flask, django]\n")
    kb = load_knowledge(kdir)
    assert [f.id for f in kb.candidates] == ["cherrypy", "bottle", "pyramid", "fastapi", "flask", "django"]
    assert not any(f.in_article for f in kb.frameworks[6:])  # the others need not be listed: they follow


def test_order_key_must_name_every_framework(kdir: Path) -> None:
    path = kdir / "questions.yaml"
    path.write_text(path.read_text() + "\norder:\n  - django\n  - flask\n  - flask\n  - hug\n")
    line = line_of(path, "order:")
    found = problems(kdir)
    assert_problem(found, path, line + 3, r"order names 'flask' twice")
    assert_problem(found, path, line + 4, r"order names 'hug', which has no frameworks/hug.yaml")
    assert_problem(found, path, line, r"order does not list: fastapi, pyramid, bottle, cherrypy")


def test_one_yaml_syntax_error_is_reported_alone_and_stops(kdir: Path) -> None:
    """Before: one broken line in questions.yaml gave 48 follow-on 'unknown dimension' lines."""
    q = kdir / "questions.yaml"
    lines = q.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("dimensions:"))
    lines.insert(at + 1, "  broken: [unclosed, \n")
    q.write_text("".join(lines))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir)
    problems = info.value.problems
    assert len(problems) == 1, str(info.value)
    assert problems[0].file.endswith("questions.yaml") and problems[0].line is not None
    assert abs(problems[0].line - (at + 2)) <= 2, problems[0]


def test_a_syntax_error_in_a_framework_file_is_reported_alone(kdir: Path) -> None:
    fw = kdir / "frameworks" / "flask.yaml"
    line = replace(fw, "\n", "\n  - : : [\n")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir)
    problems = info.value.problems
    assert len(problems) == 1 and problems[0].file.endswith("flask.yaml"), str(info.value)
    assert problems[0].line is not None and problems[0].line >= line


def test_knowledge_check_prints_the_syntax_error_once(kdir: Path, capsys) -> None:
    from bot.knowledge.check import check_command

    (kdir / "questions.yaml").write_text("schema: 1\nquestions: [\n")
    assert check_command(kdir) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "questions.yaml:" in err[0] and err[1].startswith("1 problem in"), err
