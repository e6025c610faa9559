"""What would change the answer: the deciding question's changes (one per framework it can
name) read as one sentence after the others, on the console, in the MADR record, on Slack
(private and shared, through the real Bolt app) and on Discord (private and shared, through
the real discord.py client); every change stays its own entry in `Recommendation.changes`."""
from __future__ import annotations

import datetime as dt
import random
import re

from support.discord_api import flat_components, is_result, texts

from bot import engine
from bot.engine.changes import change_lines
from bot.adapters.console.render import render_text
from bot.engine.recommend import build_recommendation, recommend, state_for
from bot.export import madr
from engine_support import random_finished
from slack_support import bot as slack_bot, slack  # noqa: F401
from test_discord_interactions import SCOPE, bot, driver, nav, standin, start_bot, store  # noqa: F401
from test_slack_http import PRIVATE, all_text, elements, recommendation_of

DECIDES = "Past success"


def _decides(rec) -> list:  # noqa: ANN001
    """The past-success changes that name the framework they would pick."""
    return [c for c in rec.changes if c.question_short == DECIDES and c.option == c.framework]


def _grouped(rec) -> str:  # noqa: ANN001
    (line,) = [line for line in change_lines(rec) if line.startswith(f"If your answer for {DECIDES} had been")]
    return line


def test_the_reported_profile_reads_one_past_success_sentence_last(knowledge) -> None:  # noqa: ANN001
    rec = recommend(knowledge, {"experience": "none", "style": "api", "realtime": "yes"})
    assert len(_decides(rec)) == 5, "the engine still lists every change"
    lines = change_lines(rec)
    assert lines[-1] == ("If your answer for Past success had been Django, Flask, Pyramid, Bottle or CherryPy, "
                         "that framework would be the pick.")
    assert list(lines[:-1]) == [c.text for c in rec.changes if c not in _decides(rec)]
    shown = render_text(rec)
    flat = " ".join(shown.split())
    assert flat.count("for Past success") == 1 and "Past success had been Django" in flat
    offered = re.search(r"\[w\d+\] What if: Yes, with CherryPy \(past success\)\?", shown)
    assert offered, "every what-if is still offered"


def test_over_seeded_conversations_nothing_is_lost_and_nothing_repeats(knowledge) -> None:  # noqa: ANN001
    rng = random.Random(13)
    grouped = 0
    for _ in range(1500):
        _, rec = random_finished(knowledge, rng)
        lines = change_lines(rec)
        assert len(set(lines)) == len(lines)
        named = _decides(rec)
        others = [c.text for c in rec.changes if c not in named]
        if len(named) < 2:
            assert list(lines) == [c.text for c in rec.changes]
            continue
        grouped += 1
        assert list(lines) == others + [_grouped(rec)]
        line = _grouped(rec)
        assert all(c.name in line for c in named) and rec.name not in line.split("had been")[1]
    assert grouped > 300, grouped  # the case is common, not an accident of the seed


def test_madr_confirmation_reads_the_same_lines(knowledge) -> None:  # noqa: ANN001
    state = state_for(knowledge, {"experience": "none", "style": "api", "realtime": "yes"})
    rec = build_recommendation(knowledge, state)
    record = madr.record(knowledge, state, rec, ["Ada"], dt.date(2026, 12, 1))
    confirmation = record.split("### Confirmation", 1)[1].split("\n## ", 1)[0]
    assert confirmation.count("* If ") == len(change_lines(rec))
    assert "Django, Flask, Pyramid, Bottle or CherryPy, that framework would be the pick." in confirmation


def _flips(blocks: list[dict]) -> str:
    (block,) = [b for b in blocks if b.get("block_id") == "flips"]
    return block["text"]["text"]


def test_slack_private_and_shared_results(slack_bot, slack) -> None:  # noqa: ANN001, F811
    blocks = slack_bot.command("an async API for our React frontend").blocks
    for _ in range(20):
        if recommendation_of(blocks):
            break
        blocks = slack_bot.click(blocks, "nav:skip").blocks
    rec = engine.view(slack_bot.app.knowledge(), slack_bot.session(PRIVATE).state)
    assert len(_decides(rec)) >= 2
    private = _flips(blocks)
    assert private.count(DECIDES) == 1 and private.rstrip().endswith("that framework would be the pick.")
    assert "whatif" in {b.get("block_id", "").split("|")[0] for b in blocks}
    slack_bot.click(blocks, "share")
    posted = slack.wait_for(api="chat.postMessage")
    assert _flips(posted.blocks) == private and not elements(posted.blocks)
    assert all_text(posted.blocks).count(DECIDES) == 1


def test_discord_private_and_shared_results(driver, standin, store) -> None:  # noqa: ANN001, F811
    _, message = driver.command("start", text="an async API for our React frontend")
    for _ in range(20):
        if is_result(message):
            break
        _, message = driver.click(message, nav(message, "skip"))
    from bot.knowledge.loader import load_knowledge
    from conftest import KNOWLEDGE_DIR

    rec = engine.view(load_knowledge(KNOWLEDGE_DIR), store.load(SCOPE.key()).state)
    assert len(_decides(rec)) >= 2
    shown = texts(message)
    assert shown.count(DECIDES + " (") == 0 and shown.count(f"for {DECIDES} had been") == 1
    assert _grouped(rec) in " ".join(shown.split())
    share = next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(":share"))
    mark = len(standin.requests)
    driver.click(message, share)
    standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/"), after=mark)
    public = standin.messages[max(standin.messages, key=int)]
    assert texts(public).count(f"for {DECIDES} had been") == 1
