"""The JSON-lines protocol and the other commands, driven as a subprocess."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from cli_support import ROOT, bot_env, jsonl, parse_lines, run_bot


def test_whole_conversation_over_jsonl(tmp_path):
    out: list[dict] = []
    # Answer whatever is asked, from the list above, until a recommendation appears.
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--jsonl"], cwd=ROOT, env=bot_env(tmp_path),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    by_question = {"experience": "none", "control": "batteries", "data": "crud", "performance": "normal",
                   "team": "stable", "longevity": "nice", "scope": "small", "realtime": "no",
                   "admin": "yes", "orm": "builtin", "style": "fullstack"}
    while True:
        line = json.loads(proc.stdout.readline())
        out.append(line)
        if line["type"] == "recommendation":
            break
        assert line["type"] == "question", line
        assert line["asked"] == len(out)
        assert {"id", "text", "options"} <= set(line["question"])
        proc.stdin.write(json.dumps({"answer": by_question[line["question"]["id"]]}) + "\n")
        proc.stdin.flush()
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    result = out[-1]
    rec = result["recommendation"]
    assert rec["framework"] == "django"
    assert rec["runner_up"] and rec["confidence"] in {"high", "medium", "low"}
    assert [r["framework"] for r in rec["ranking"]][0] == "django"
    # the rule's own figures, no made-up shares: points are fit minus warnings
    assert all(r["points"] == r["fit"] - r["warnings"] and r["hard"] >= 0 for r in rec["ranking"])
    assert rec["confidence_basis"] and rec["margin_text"].startswith("Django leads ")
    assert rec["reasons"] and all(link["url"].startswith("https://") for link in rec["links"])
    assert result["questions_asked"] == len(out) - 1


def test_text_prefill_errors_and_navigation(tmp_path):
    stdin = jsonl([{"answer": "nonsense"}, {"bogus": 1}, {"action": "skip"}, {"action": "back"},
                   {"answer": "none"}]) + "not json\n"
    result = run_bot(tmp_path, "chat", "--jsonl", "--text", "an app with analytics and reporting", stdin=stdin)
    lines = parse_lines(result.stdout)
    first = lines[0]
    assert first["type"] == "question" and first["prefilled"] == {"data": "aggregation"}
    kinds = [line["type"] for line in lines]
    assert kinds[1:3] == ["error", "error"]
    assert lines[3]["type"] == "question" and lines[3]["question"]["id"] != first["question"]["id"]
    assert lines[4]["question"]["id"] == first["question"]["id"]  # back re-asks
    assert lines[-1]["type"] == "error"
    assert result.returncode == 1  # stdin closed before a recommendation


def test_ask_about_compare(tmp_path):
    result = run_bot(tmp_path, "ask", "--answer", "style=api", "--answer", "performance=critical", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recommendation"]["framework"] == "fastapi"
    result = run_bot(tmp_path, "ask", "--text", "several quick prototypes")
    assert result.returncode == 0 and "Recommendation: Bottle" in result.stdout
    bad = run_bot(tmp_path, "ask", "--answer", "style=soap")
    assert bad.returncode == 2 and "not an answer to 'style'" in bad.stderr
    about = run_bot(tmp_path, "about", "flask")
    assert about.returncode == 0 and "Flask-SQLAlchemy" in about.stdout
    compare = run_bot(tmp_path, "compare", "django", "flask", "--json")
    assert json.loads(compare.stdout)["frameworks"] == ["django", "flask"]
    unknown = run_bot(tmp_path, "about", "rails")
    assert unknown.returncode == 2 and "From the article: django" in unknown.stderr and "Also: " in unknown.stderr


def test_console_holds_a_conversation(tmp_path):
    result = run_bot(tmp_path, "console", stdin="7\n2\nzz\nb\n2\ns\ns\ns\ns\ns\ns\ns\ns\ns\nq\n")
    assert result.returncode == 0, result.stderr
    assert "Question 1." in result.stdout and "1) Yes, with Django" in result.stdout
    assert "! Type a number" in result.stdout
    assert "Recommendation:" in result.stdout


def test_no_subcommand_and_no_tokens_opens_the_console(tmp_path):
    result = run_bot(tmp_path, stdin="q\n")
    assert result.returncode == 0 and "Question 1." in result.stdout


def test_refuses_to_start_on_invalid_knowledge(tmp_path):
    import shutil

    broken = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", broken)
    path = broken / "frameworks" / "flask.yaml"
    path.write_text(path.read_text().replace("when: {control: [minimal]}", "when: {control: [tiny]}", 1))
    env = bot_env(tmp_path, ADVISOR_KNOWLEDGE=str(broken))
    result = run_bot(tmp_path, "console", stdin="q\n", env=env)
    assert result.returncode == 2
    assert "flask.yaml:" in result.stderr and "tiny" in result.stderr
    check = run_bot(tmp_path, "knowledge", "check", str(broken))
    assert check.returncode == 1 and "flask.yaml:" in (check.stderr + check.stdout)


def test_conversation_survives_kill_9(tmp_path):
    """Drive the CLI with the default SQLite store, kill -9 it mid-way, resume with --user."""
    env = bot_env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--jsonl", "--user", "ada"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    first = json.loads(proc.stdout.readline())
    assert first["question"]["id"] == "experience" and "resumed" not in first
    proc.stdin.write(json.dumps({"answer": "none"}) + "\n")
    proc.stdin.flush()
    second = json.loads(proc.stdout.readline())  # the step is committed before this line is written
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)
    assert (tmp_path / "data" / "sessions.db").exists()

    resumed = run_bot(tmp_path, "chat", "--jsonl", "--user", "ada", env=env)
    line = parse_lines(resumed.stdout)[0]
    assert line["type"] == "question" and line["resumed"] is True
    assert line["question"]["id"] == second["question"]["id"] and line["asked"] == 2

    other = run_bot(tmp_path, "chat", "--jsonl", "--user", "grace", env=env)
    assert parse_lines(other.stdout)[0]["question"]["id"] == "experience"  # separate conversation

    by_question = {"control": "batteries", "style": "fullstack", "data": "crud", "orm": "builtin",
                   "performance": "normal", "team": "growing", "longevity": "critical", "admin": "yes",
                   "realtime": "no", "scope": "growing"}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "chat", "--jsonl", "--user", "ada"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    seen = [json.loads(proc.stdout.readline())]
    while seen[-1]["type"] == "question":
        proc.stdin.write(json.dumps({"answer": by_question[seen[-1]["question"]["id"]]}) + "\n")
        proc.stdin.flush()
        seen.append(json.loads(proc.stdout.readline()))
    proc.stdin.close()
    assert proc.wait(timeout=10) == 0
    assert seen[-1]["recommendation"]["framework"] == "django"
    assert seen[-1]["questions_asked"] == len(seen)  # experience (before the kill) + those after


def test_decide_now_over_jsonl(tmp_path):
    stdin = jsonl([{"answer": "none"}, {"action": "decide"}])
    result = run_bot(tmp_path, "chat", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = parse_lines(result.stdout)
    first, second, decided = out
    assert first["type"] == second["type"] == "question"
    assert first["remaining_at_most"] >= second["remaining_at_most"] + 1 >= 1
    rec = decided["recommendation"]
    assert decided["type"] == "recommendation" and rec["settled"] is False
    assert second["question"]["id"] in rec["open_questions"]
    assert rec["decided_by"] in {"experience", "hard", "score", "tie"}
