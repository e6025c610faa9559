"""`python -m bot team`: the team result without a platform, as text, JSON and a MADR record."""
from __future__ import annotations

import json
import random
import re

import pytest

from bot.cli import main
from bot.engine.team import combine
from cli_support import run_bot


def argv(members: dict[str, dict[str, str]]) -> list[str]:
    out = ["team"]
    for name, answers in members.items():
        out += ["--member", name]
        for q, o in answers.items():
            out += ["--answer", f"{q}={o}"]
    return out


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


TEAM = {"ana": {"experience": "none", "style": "api", "control": "minimal"},
        "bo": {"experience": "none", "style": "api", "control": "batteries", "admin": "yes"},
        "cy": {"style": "fullstack", "realtime": "yes"}}


def test_json_is_ask_json_for_the_team_answers_plus_members_counts_and_splits(tmp_path) -> None:
    team = run_bot(tmp_path, *argv(TEAM), "--json")
    assert team.returncode == 0, team.stderr
    got = json.loads(team.stdout)
    team_answers = {"experience": "none", "style": "api", "realtime": "yes", "admin": "yes"}
    ask = run_bot(tmp_path, "ask", *[x for q, o in team_answers.items() for x in ("--answer", f"{q}={o}")], "--json")
    expected = json.loads(ask.stdout)
    assert {k: v for k, v in got.items() if k not in ("members", "counts", "splits")} == expected
    assert got["members"] == ["ana", "bo", "cy"]
    assert got["counts"] == {"experience": {"none": 2}, "style": {"api": 2, "fullstack": 1},
                             "control": {"minimal": 1, "batteries": 1}, "realtime": {"yes": 1}, "admin": {"yes": 1}}
    assert got["splits"] == ["control"]  # questions nobody answered are not splits


def test_seeded_teams_agree_with_the_engine(capsys, knowledge) -> None:
    rng = random.Random(1616)
    for _ in range(60):
        members = {f"m{i}": {q.id: rng.choice(q.options).id for q in knowledge.questions if rng.random() < 0.5}
                   for i in range(rng.randint(1, 9))}
        code, out, err = run(capsys, *argv(members), "--format", "json")
        assert code == 0, err
        got = json.loads(out)
        tally = combine(knowledge, members.values())
        assert got["counts"] == tally.counts and got["splits"] == list(tally.splits)
        code, ask, _ = run(capsys, "ask", *[x for q, o in tally.answers.items() for x in ("--answer", f"{q}={o}")],
                           "--json")
        assert {k: v for k, v in got.items() if k not in ("members", "counts", "splits")} == json.loads(ask)


def test_text_shows_counts_splits_that_change_the_pick_and_own_picks(capsys) -> None:
    code, out, _ = run(capsys, *argv(TEAM))
    assert code == 0
    out = " ".join(re.sub(r"-\n\s+", "-", out).split())  # undo the terminal wrapping
    assert out.startswith("Team decision: 3 members answered (ana, bo, cy).")
    assert "Recommendation: " in out and "[q] quit" not in out
    assert "Web development style: API for a separate frontend (2 of 3; also Full-stack, server-rendered 1)" in out
    assert "Level of control: split: Batteries included: pick them for me 1, Minimal: I choose" in out
    assert "ORM: open: nobody answered" in out
    assert "If the team settles Level of control on" in out
    assert "Each member's own pick:" in out


def test_madr_has_every_member_as_decision_maker_counts_and_open_points(capsys) -> None:
    hostile = {"<!channel> @everyone": TEAM["ana"], "bo": TEAM["bo"], "cy": TEAM["cy"]}
    code, out, _ = run(capsys, *argv(hostile), "--format", "madr", "--text", "our *new* app <@U1>")
    assert code == 0
    assert "decision-makers: [" in out and '"bo"' in out and '"cy"' in out
    assert "<!channel>" not in out and "@everyone" not in out and "<@U1>" not in out
    assert "* Web development style: API for a separate frontend (2 of 3; also Full-stack, server-rendered 1)" in out
    assert "* Level of control: open point, the team split (" in out
    assert "### Open Points" in out and "the pick is" in out
    assert "3 of us answered" in out


@pytest.mark.parametrize("args, message", [
    (["team", "--answer", "style=api"], "--answer must follow a --member NAME"),
    (["team", "--member", "a", "--answer", "style=soap"], "'soap' is not an answer to 'style'"),
    (["team", "--member", "a", "--answer", "bogus=x"], "no question called 'bogus'"),
    (["team", "--member", "a", "--answer", "style"], "--answer takes QUESTION=OPTION"),
    (["team", "--member", "a", "--member", "a"], "given twice"),
    (["team", "--member", "  "], "--member takes a name"),
])
def test_bad_arguments_are_one_clear_line(capsys, args, message) -> None:
    with pytest.raises(SystemExit) if args[1] == "--answer" else _nothing():
        code, out, err = run(capsys, *args)
        assert code == 2 and message in err and out == ""
    if args[1] == "--answer":
        assert message in capsys.readouterr().err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> bool:
        return False


def test_answers_may_follow_one_answer_flag_as_well_as_one_flag_each(capsys) -> None:
    # `--answer a=x b=y` is the same as `--answer a=x --answer b=y`, for `team` and for `ask`
    grouped = ["team"]
    for name, answers in TEAM.items():
        grouped += ["--member", name, "--answer", *(f"{q}={o}" for q, o in answers.items())]
    assert run(capsys, *grouped, "--json")[1] == run(capsys, *argv(TEAM), "--json")[1]
    answers = TEAM["bo"]
    one_flag = run(capsys, "ask", "--answer", *(f"{q}={o}" for q, o in answers.items()), "--json")
    each = run(capsys, "ask", *[x for q, o in answers.items() for x in ("--answer", f"{q}={o}")], "--json")
    assert one_flag[0] == 0 and json.loads(one_flag[1]) == json.loads(each[1])
