"""`check_command` and `python -m bot knowledge check [DIR]`."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import check_command, default_knowledge_dir
from bot.knowledge import check as check_module

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "knowledge_broken"

OK = "OK: 11 questions, 6 frameworks from the article, 9 more outside it (15 also-consider rules) (knowledge)"


def test_check_ok(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert check_command(str(KNOWLEDGE_DIR)) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == OK
    assert err == ""
    # it prints the decision model: the rule step by step, then every point with its weight and source
    lines = out.splitlines()[1:]
    assert lines[0].startswith("Decision rule (settings.decision")
    assert [line.split(":")[0].strip() for line in lines[1:5]] == ["1. decides", "2. hard", "3. score", "4. share"]
    assert "\u201cPast success\u201d (experience) decides by itself: django -> Django" in lines[1]
    assert "strong fit +3, fit +1, soft warning -2" in lines[3]
    assert lines[4].endswith("Django, Flask, FastAPI, Pyramid, Bottle, CherryPy")
    assert "Points (strength, weight, when it holds, source):" in lines
    django = lines[lines.index("  Django:") + 1:lines.index("  Flask:")]
    assert any(line.split()[:4] == ["strong", "fit", "+3", "control=batteries"] and line.endswith("[table]")
               for line in django)
    assert any(line.split()[:4] == ["hard", "mismatch", "tier", "orm=sqlalchemy"] and "[article: " in line
               for line in django)
    bottle = lines[lines.index("  Bottle:") + 1:lines.index("  CherryPy:")]
    assert sum(line.split()[:2] == ["hard", "mismatch"] for line in bottle) == 4
    assert any(line.strip() == "and 1 caveat, shown and never counted" for line in lines)


def test_check_default_directory(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVISOR_KNOWLEDGE", raising=False)
    monkeypatch.chdir(ROOT)
    assert check_command(None) == 0
    assert capsys.readouterr().out.startswith(OK + "\nDecision rule")


def test_check_problems_go_to_stderr(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert check_command("tests/fixtures/knowledge_broken/never_wins") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "tests/fixtures/knowledge_broken/never_wins/frameworks/gamma.yaml:1: "
        "framework 'gamma' can never come out on top",
        "1 problem in tests/fixtures/knowledge_broken/never_wins",
    ]


def test_check_missing_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert check_command(str(tmp_path / "missing")) == 1
    assert "knowledge directory not found" in capsys.readouterr().err


def test_default_knowledge_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADVISOR_KNOWLEDGE", str(tmp_path))
    assert default_knowledge_dir() == tmp_path
    monkeypatch.delenv("ADVISOR_KNOWLEDGE")
    assert default_knowledge_dir() == KNOWLEDGE_DIR
    # no knowledge/ next to the package (an installed wheel): the container path
    monkeypatch.setattr(check_module, "__file__", str(tmp_path / "site" / "bot" / "knowledge" / "check.py"))
    assert default_knowledge_dir() == Path("/app/knowledge")


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "ADVISOR_KNOWLEDGE"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "check", *args],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60,
    )


def test_cli_ok() -> None:
    result = _cli("knowledge")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(OK + "\nDecision rule")


def test_cli_default_and_env(tmp_path: Path) -> None:
    result = _cli()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 11 questions, 6 frameworks")
    broken = tmp_path / "kb"
    shutil.copytree(FIXTURES / "never_wins", broken)
    result = _cli(env={"ADVISOR_KNOWLEDGE": str(broken)})
    assert result.returncode == 1
    assert f"{broken}/frameworks/gamma.yaml:1: framework 'gamma' can never come out on top" in result.stderr


def test_cli_broken_fixture() -> None:
    result = _cli("tests/fixtures/knowledge_broken/syntax_error")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "tests/fixtures/knowledge_broken/syntax_error/frameworks/beta.yaml:3: YAML syntax error:"
    )
    assert "Traceback" not in result.stderr
