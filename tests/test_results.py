"""What-if, the comparison matrix and the export, through the engine, the service and the
console adapters (JSON lines, the terminal, `ask --format`)."""
from __future__ import annotations

import io
import json
import random

import pytest

from bot import engine
from bot.adapters.console import terminal
from bot.adapters.console.render import compare_table
from bot.engine import errors
from bot.engine.info import CELL_MAX
from bot.engine.replies import Recommendation, WhatIfReply
from bot.engine.whatif import changed
from bot.store.base import Scope
from cli_support import jsonl, parse_lines, run_bot
from engine_support import random_finished
from test_export_madr import split, tokens


def test_whatif_pick_is_the_winner_of_the_changed_answers(knowledge) -> None:  # noqa: ANN001
    rng = random.Random(9)
    checked = 0
    for _ in range(300):
        state, rec = random_finished(knowledge, rng)
        before = state.to_dict()
        pairs = [(q.id, o.id) for q in knowledge.questions for o in q.options]
        pairs += [(c.question, c.option) for c in rec.changes]
        for question, option in pairs:
            reply = engine.whatif(knowledge, state, question, option)
            answers = {**state.answer_map(), question: option}
            assert reply.after.framework == engine.winner(knowledge, answers)
            assert reply.before == rec and reply.question == question and reply.option == option
            assert changed(state, question, option).answer_map() == answers
            checked += 1
        for change in rec.changes:  # the flips the result offers really flip it
            assert engine.whatif(knowledge, state, change.question, change.option).after.framework == change.framework
        assert state.to_dict() == before
    assert checked > 300 * 30


def test_whatif_refuses_what_is_not_an_answer(knowledge) -> None:  # noqa: ANN001
    state, _ = random_finished(knowledge, random.Random(2))
    for q, o, error in (("nope", "x", errors.UnknownQuestion), ("performance", "nope", errors.UnknownOption)):
        with pytest.raises(error):
            engine.whatif(knowledge, state, q, o)
    asking, _ = engine.step(knowledge, None, engine.Start())
    with pytest.raises(errors.QuestionNotAsked):
        engine.whatif(knowledge, asking, "performance", "critical")


def test_whatif_and_back_leave_the_session_exactly_as_it_was(knowledge, make_app) -> None:  # noqa: ANN001
    app = make_app()
    scope = Scope("console", "local", "", "", "u1")
    rng = random.Random(5)
    for _ in range(60):
        outcome = app.advisor.start(scope, "u1", rng.choice(["", "fast api", "django shop with reports"]))
        while not isinstance(outcome.reply, Recommendation):
            reply = outcome.reply
            outcome = app.advisor.act(scope, "u1", engine.Answer(reply.question_id, rng.choice(reply.options).id),
                                      outcome.ref())
        stored = app.store.load(scope.key())
        q = rng.choice(knowledge.questions)
        o = rng.choice(q.options)
        what = app.advisor.whatif(scope, "u1", q.id, o.id, outcome.ref())
        assert what.ok and isinstance(what.reply, WhatIfReply)
        assert what.reply.after.framework == engine.winner(knowledge, {**stored.state.answer_map(), q.id: o.id})
        assert app.store.load(scope.key()) == stored, "what-if wrote nothing"
        back = app.advisor.current(scope, "u1", what.ref())
        assert back.ok and back.reply == outcome.reply and back.state == stored.state
        assert back.ref() == outcome.ref(), "every button of the result is still current"
    assert app.advisor.whatif(scope, "u2", "performance", "critical").status == "not_owner"


def test_matrix_is_the_results_top_three_with_the_answers_highlighted(knowledge, make_app) -> None:  # noqa: ANN001
    rng = random.Random(4)
    dims = {d for d, _ in knowledge.dimensions}
    for _ in range(300):
        state, rec = random_finished(knowledge, rng)
        matrix = engine.compare_top(knowledge, rec, state.answer_map())
        assert list(matrix.frameworks) == [r.framework for r in rec.ranking][:3]
        assert matrix.pick == rec.framework
        assert [r.dimension for r in matrix.rows][: len(dims)] == [d for d, _ in knowledge.dimensions]
        for row in matrix.rows:
            answer = state.answer_map().get(row.dimension)
            expected = knowledge.question(row.dimension).option(answer).label if answer and row.dimension in dims \
                and knowledge.question(row.dimension) else ""
            assert row.answer == expected
            assert all(0 < len(v) <= CELL_MAX for v in row.values)
        table = compare_table(matrix)
        assert all(len(line) <= 100 for line in table.splitlines())


def test_longest_cells_are_clipped_and_the_table_stays_aligned(knowledge) -> None:  # noqa: ANN001
    from dataclasses import replace

    long = tuple(replace(f, dimensions=tuple((d, "W" * 40 + " " + "x" * 900) for d, _ in knowledge.dimensions))
                 for f in knowledge.frameworks)
    k = replace(knowledge, frameworks=long)
    matrix = engine.compare(k, ["django", "flask", "fastapi"])
    assert all(len(v) == CELL_MAX and v.endswith("\u2026") for row in matrix.rows[:-1] for v in row.values)
    lines = compare_table(matrix).splitlines()
    assert all(len(line) <= 100 for line in lines)
    bars = {tuple(i for i, ch in enumerate(line) if ch == "\u2502") for line in lines if "\u2502" in line}
    assert len(bars) == 1, "every row's column separators line up"


def test_jsonl_export_whatif_and_compare(tmp_path, knowledge) -> None:  # noqa: ANN001
    by_question = {"experience": "none", "control": "batteries", "data": "crud", "performance": "normal",
                   "team": "stable", "longevity": "nice", "scope": "small", "realtime": "no",
                   "admin": "yes", "orm": "builtin", "style": "fullstack"}
    text = "<!channel> # we @everyone build a shop"
    # the questions in the order the engine asks them for this profile
    state, reply = engine.step(knowledge, None, engine.Start(text))
    order = []
    while not isinstance(reply, Recommendation):
        order.append(reply.question_id)
        state, reply = engine.step(knowledge, state, engine.Answer(reply.question_id, by_question[reply.question_id]))
    lines = [{"action": "export"}]  # before a result: an error, nothing lost
    lines += [{"answer": by_question[q]} for q in order] + [{"answer": "yes"}]  # more than asked: an error
    result = run_bot(tmp_path, "chat", "--jsonl", "--text", text,
                     stdin=jsonl(lines + [{"action": "export"}, {"action": "whatif", "question": "performance",
                                                                 "option": "critical"},
                                          {"action": "whatif", "question": "performance"},
                                          {"action": "compare"}, {"action": "export"}]))
    out = parse_lines(result.stdout)
    assert out[1]["type"] == "error"
    rec = next(o for o in out if o["type"] == "recommendation")
    export = next(o for o in out if o["type"] == "export")
    assert export["format"] == "madr"
    assert export["filename"].startswith(f"decision-{rec['recommendation']['framework']}-")
    front, body = split(export["markdown"])
    assert front["decision-makers"] == ["console user"]
    assert "<!channel>" not in export["markdown"] and "@everyone" not in export["markdown"]
    assert any(t.type == "heading_open" for t in tokens(body))
    whatif = next(o for o in out if o["type"] == "whatif")
    assert whatif["before"] == rec["recommendation"] and whatif["question"] == "performance"
    bad = out[out.index(whatif) + 1]
    assert bad["type"] == "error" and "option" in bad["message"]
    compare = next(o for o in out if o["type"] == "compare")
    assert compare["pick"] == rec["recommendation"]["framework"]
    assert [o["type"] for o in out].count("export") == 2, "what-if and compare left the conversation as it was"
    assert result.returncode == 0


def test_ask_format_madr_and_json(tmp_path) -> None:  # noqa: ANN001
    args = ("ask", "--answer", "style=api", "--answer", "performance=critical", "--text", "a <b>fast</b> api")
    md = run_bot(tmp_path, *args, "--format", "madr")
    assert md.returncode == 0, md.stderr
    as_json = json.loads(run_bot(tmp_path, *args, "--format", "json").stdout)
    assert as_json == json.loads(run_bot(tmp_path, *args, "--json").stdout)
    assert f'Chosen option: "{as_json["recommendation"]["framework"].replace("fastapi", "FastAPI")}"' in md.stdout
    assert "&lt;b&gt;fast&lt;/b&gt;" in md.stdout


def test_console_export_writes_the_file_and_keeps_earlier_ones(tmp_path, make_app) -> None:  # noqa: ANN001
    app = make_app()
    scope = Scope("console", "local", "", "", "me")
    keys = "s\n" * 12 + "e\ne\nc\nq\n"
    out = io.StringIO()
    assert terminal.run(app.advisor, scope, "me", "fast api", False, io.StringIO(keys), out, tmp_path) == 0
    files = sorted(p.name for p in tmp_path.glob("decision-*.md"))
    assert len(files) == 2 and any(f.endswith("-2.md") for f in files), "the second export kept the first"
    text = out.getvalue()
    assert all(f"Wrote {tmp_path / f}" in text for f in files)
    assert "(pick)" in text and "\u25b6 Performance (you: Yes," in text


def test_console_whatif_and_back(tmp_path, make_app) -> None:  # noqa: ANN001
    app = make_app()
    scope = Scope("console", "local", "", "", "me")
    out = io.StringIO()
    terminal.run(app.advisor, scope, "me", "a fast api", False, io.StringIO("s\n" * 12), out, tmp_path)
    stored = app.store.load(scope.key())
    rec = engine.view(app.knowledge(), stored.state)
    assert isinstance(rec, Recommendation) and rec.changes, "the result offers what-ifs"
    out = io.StringIO()
    terminal.run(app.advisor, scope, "me", "", True, io.StringIO("w1\na\nw99\n"), out, tmp_path)
    text = out.getvalue()
    change = rec.changes[0]
    assert f"[w1] {change.whatif}" in text
    expected = engine.winner(app.knowledge(), {**stored.state.answer_map(), change.question: change.option})
    name = app.knowledge().framework(expected).name
    assert f"With this change: {name}" in text
    assert text.count(f"Recommendation: {rec.name}") == 2, "shown on resume, and again after [a]"
    assert "There is no what-if number 99" in text
    assert app.store.load(scope.key()) == stored


def test_offered_whatifs_name_different_factors_first(knowledge) -> None:  # noqa: ANN001
    from bot.engine.whatif import offered

    rng = random.Random(21)
    for _ in range(500):
        _, rec = random_finished(knowledge, rng)
        for limit in (1, 3, 5):
            shown = offered(rec, limit)
            assert len(shown) == min(limit, len(rec.changes)) and set(shown) <= set(rec.changes)
            questions = [c.question for c in shown]
            distinct = len({c.question for c in rec.changes})
            assert len(set(questions)) == min(len(shown), distinct), "one per factor before repeating one"


def test_console_result_says_what_the_description_settled(tmp_path) -> None:  # noqa: ANN001
    # past success read from the description can settle the pick before any question: the
    # result itself must then say what was taken, as the question screen would have
    text = "Our current web API uses Flask and it works well; the new web API is the same kind of thing."
    out = run_bot(tmp_path, "console", "--text", text, stdin="q\n")
    assert out.returncode == 0, out.stderr
    took = out.stdout.index("From your description I took: Past success: Yes, with Flask")
    assert took < out.stdout.index("Recommendation: Flask")
