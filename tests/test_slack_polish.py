"""Progress, Back that remembers, Restart that asks and Decide now, through the real Bolt app
against the Web API / response_url stand-in."""
from __future__ import annotations

import json
import re

import pytest

try:
    from slack_support import bot, slack  # noqa: F401  (fixtures)
    from support.slack_requests import elements
    from test_slack_http import PRIVATE, Bot, question_of, recommendation_of
except ImportError:  # pragma: no cover
    from tests.slack_support import bot, slack  # noqa: F401
    from tests.support.slack_requests import elements
    from tests.test_slack_http import PRIVATE, Bot, question_of, recommendation_of

PROGRESS = re.compile(r"^Question (\d+)(?: \u00b7 at most (\d+) more| \u00b7 last one)?$")


def progress(blocks: list[dict]) -> re.Match[str]:
    notes = [b["elements"][0]["text"] for b in blocks if b["type"] == "context"]
    found = [m for m in map(PROGRESS.match, notes) if m]
    assert len(found) == 1, notes
    return found[0]


def answer(bot: Bot, blocks: list[dict], last: bool = False):
    el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
    if el["type"] == "static_select":
        options = el["options"]
        return bot.click(blocks, el["action_id"], option=options[-1 if last else 0]["value"])
    buttons = [e for e in elements(blocks) if e["action_id"].startswith("answer:")]
    return bot.click(blocks, buttons[-1 if last else 0]["action_id"])


def test_every_question_carries_its_number(bot: Bot) -> None:
    blocks = bot.command("an api with sqlalchemy").blocks
    assert bot.session().state.from_text
    seen = []
    for _ in range(20):
        if recommendation_of(blocks):
            break
        n = int(progress(blocks).group(1))
        assert n == bot.session().state.user_answers() + 1
        seen.append(n)
        # the last option: "No, or the new app is different" for experience, so nothing ends it early
        blocks = (bot.click(blocks, "nav:skip") if len(seen) == 2 else answer(bot, blocks, last=True)).blocks
    assert seen == list(range(1, len(seen) + 1)) and len(seen) >= 2
    back = bot.click(blocks, "nav:back").blocks
    assert int(progress(back).group(1)) == len(seen)


def test_restart_carries_a_confirmation_everywhere(bot: Bot) -> None:
    blocks = bot.command().blocks
    for _ in range(20):
        restart = next(e for e in elements(blocks) if e["action_id"] == "nav:restart")
        assert restart["confirm"]["confirm"]["text"] == "Yes, start over"  # Slack asks before sending it
        if recommendation_of(blocks):
            break
        blocks = answer(bot, blocks).blocks
    assert recommendation_of(blocks)


def test_back_marks_the_earlier_answer_and_the_same_answer_goes_forward(bot: Bot) -> None:
    q1 = bot.command().blocks
    select = next(e for e in elements(q1) if e["action_id"].startswith("answer:"))
    assert select["type"] == "static_select" and "initial_option" not in select
    q2 = answer(bot, q1, last=True).blocks
    back = bot.click(q2, "nav:back").blocks
    select = next(e for e in elements(back) if e["action_id"].startswith("answer:"))
    assert select["initial_option"]["value"] == select["options"][-1]["value"]
    assert "before: choose it again to keep it" in json.dumps(back)
    forward = answer(bot, back, last=True).blocks
    assert question_of(forward) == question_of(q2)

    while next(e for e in elements(forward) if e["action_id"].startswith("answer:"))["type"] == "static_select":
        forward = answer(bot, forward).blocks
    buttons = [e for e in elements(forward) if e["action_id"].startswith("answer:")]
    after = answer(bot, forward, last=True).blocks
    if recommendation_of(after):
        pytest.skip("this path ended right after the button question")
    back = bot.click(after, "nav:back").blocks
    marked = {e["action_id"]: e.get("style") for e in elements(back) if e["action_id"].startswith("answer:")}
    assert marked == {b["action_id"]: ("primary" if b is buttons[-1] else None) for b in buttons}


def test_decide_now_recommends_unsettled(bot: Bot) -> None:
    q2 = answer(bot, bot.command().blocks, last=True).blocks
    result = bot.click(q2, "nav:decide").blocks
    assert recommendation_of(result)
    text = json.dumps(result, ensure_ascii=False)
    assert "(not yet settled)" in text and "*Not yet settled*" in text and "Still open: " in text
    assert bot.session(PRIVATE).state.done
