"""Export, "Compare top 3" and what-if on Slack, end to end: the real Bolt app over signed
HTTP, the Web API stand-in (conversations.open, files.getUploadURLExternal, the upload,
files.completeUploadExternal) and response_url."""
from __future__ import annotations

import json
import random

import pytest

from bot import engine
from bot.adapters.slack.render.result import MAX_WHATIFS
from bot.adapters.slack import render
from bot.adapters.slack.handlers.export import SENT
from bot.engine.whatif import offered
from bot.export.markdown import ZWJ
from test_export_madr import HOSTILE, split, tokens
from slack_support import bot, slack  # noqa: F401  (fixtures)
from test_slack_http import Bot, all_text, elements, recommendation_of

try:
    from support.slack_api import SlackAPI
    from support.slack_requests import USER
except ImportError:  # pragma: no cover
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import USER


def finish(bot: Bot, text: str = "", rng: random.Random | None = None) -> list[dict]:
    blocks = bot.command(text).blocks
    for _ in range(20):
        if recommendation_of(blocks):
            return blocks
        answers = [e for e in elements(blocks) if e["action_id"].startswith("answer:")]
        if rng is None or not answers:
            blocks = bot.click(blocks, "nav:skip").blocks
        elif answers[0]["type"] == "static_select":
            el = answers[0]
            blocks = bot.click(blocks, el["action_id"], option=rng.choice(el["options"])["value"]).blocks
        else:
            blocks = bot.click(blocks, rng.choice(answers)["action_id"]).blocks
    raise AssertionError("no recommendation")


def token_of(blocks: list[dict]) -> str:
    return next(e["value"] for e in elements(blocks) if e["action_id"] == "export")


def with_button(blocks: list[dict], action_id: str, value: str) -> list[dict]:
    """The result's blocks plus one more button, as if it had been rendered."""
    return blocks + [{"type": "actions", "block_id": "extra", "elements": [
        {"type": "button", "action_id": action_id, "value": value, "text": {"type": "plain_text", "text": "x"}}]}]


def test_export_sends_the_record_as_a_file_in_the_dm(bot: Bot, slack: SlackAPI) -> None:
    blocks = finish(bot, HOSTILE)
    note = bot.click(blocks, "export")
    complete = slack.wait_for(api="files.completeUploadExternal")
    opened = slack.wait_for(api="conversations.open")
    assert opened.body["users"] == USER
    assert complete.body["channel_id"] == "D" + USER[1:]
    url = slack.wait_for(api="files.getUploadURLExternal")
    filename = url.body["filename"]
    assert filename.startswith(f"decision-{recommendation_of(blocks)}-") and filename.endswith(".md")
    (upload,) = slack.uploads()
    assert int(url.body["length"]) == len(upload.raw)
    markdown = upload.raw.decode()
    front, body = split(markdown)
    assert front["decision-makers"] == [USER.lower()]
    name = bot.app.knowledge().framework(recommendation_of(blocks)).name
    assert f'Chosen option: "{name}"' in markdown
    assert "<!channel>" not in markdown and "@everyone" not in markdown and "<script" not in markdown
    assert not [t for t in tokens(body) if t.type.startswith("html")]
    assert note.body["response_type"] == "ephemeral" and note.body["replace_original"] is False
    assert SENT.format(filename=filename) in all_text(note.blocks)
    assert bot.session().version == int(token_of(blocks).split(":")[1]), "export changed nothing"


@pytest.mark.parametrize("method,scope", [("files.getUploadURLExternal", "files:write"),
                                          ("conversations.open", "im:write")])
def test_export_without_the_scope_falls_back_to_the_markdown(bot: Bot, slack: SlackAPI, method: str,
                                                             scope: str) -> None:
    slack.missing_scope(method, scope)
    blocks = finish(bot, HOSTILE * 3)
    note = bot.click(blocks, "export")
    assert not slack.uploads()
    assert note.body["response_type"] == "ephemeral" and note.body["replace_original"] is False
    text = all_text(note.blocks)
    assert "missing scope" in text and "decision-" in text
    render.as_dicts(note.blocks)  # within Slack's limits
    assert len(note.blocks) <= 50 and all(len(b["text"]["text"]) <= 3000 for b in note.blocks)
    shown = "".join(b["text"]["text"].strip("`") for b in note.blocks[1:])
    assert "## Decision Outcome" in shown and "Chosen option" in shown
    for raw in ("<!channel>", "<!here>", "<@U123>", "<#C123>", "<script"):
        assert raw not in text
    assert "@everyone" not in shown and "@" + ZWJ + "everyone" in shown


def test_compare_top_3_is_a_table_of_the_ranking(bot: Bot, slack: SlackAPI) -> None:
    blocks = finish(bot, "a fast api", random.Random(1))
    reply = bot.click(blocks, "compare")
    assert reply.body["replace_original"] is False and reply.body["response_type"] == "ephemeral"
    table = next(b for b in reply.blocks if b["type"] == "table")
    header = [c["elements"][0]["elements"][0]["text"] for c in table["rows"][0]]
    session = bot.session()
    result = engine.view(bot.app.knowledge(), session.state)
    top = [r.name for r in result.ranking[:3]]
    assert header[1:] == [f"{n} (pick)" if n == result.name else n for n in top]
    assert any(c["type"] == "rich_text" for row in table["rows"][1:] for c in row[:1]), "answers highlighted"
    assert all(len(row) == 4 for row in table["rows"])


def test_whatif_shows_the_winner_of_the_changed_answers_and_back_restores(bot: Bot, slack: SlackAPI) -> None:
    rng = random.Random(7)
    knowledge = bot.app.knowledge()
    for _ in range(6):
        blocks = finish(bot, "", rng)
        tok = token_of(blocks)
        before = bot.session()
        rendered = [e for e in elements(blocks) if e["action_id"].startswith("whatif:")]
        result = engine.view(knowledge, before.state)
        shown = offered(result, MAX_WHATIFS)
        assert [e["action_id"] for e in rendered] == [f"whatif:{c.question}:{c.option}" for c in shown]
        question = rng.choice(knowledge.questions)
        option = rng.choice(question.options)
        click = rendered[0]["action_id"] if rendered else f"whatif:{question.id}:{option.id}"
        _, q, o = click.split(":")
        shown = bot.click(with_button(blocks, click, tok) if not rendered else blocks, click)
        assert shown.body["replace_original"] is True
        expected = engine.winner(knowledge, {**before.state.answer_map(), q: o})
        assert any(b.get("block_id") == f"whatif:{expected}" for b in shown.blocks)
        assert bot.session() == before, "what-if saved nothing"
        back = bot.click(shown.blocks, "answers")
        assert back.blocks == blocks, "back to my answers shows the result exactly as it was"
        assert bot.session() == before


def test_result_whatif_compare_and_record_fit_slacks_limits(knowledge) -> None:  # noqa: ANN001
    from engine_support import long_changes, oversized, random_finished

    k = oversized(knowledge, 60)
    rng = random.Random(3)
    for _ in range(50):
        state, rec = random_finished(knowledge, rng)
        rec = long_changes(knowledge, rec)
        blocks = render.as_dicts(render.render(rec, "s:1"))
        assert len(blocks) <= 50
        labels = [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
        assert all(len(t) <= 75 for t in labels)
        what = engine.whatif(knowledge, state, knowledge.questions[0].id, knowledge.questions[0].options[0].id)
        render.as_dicts(render.render(what, "s:1"))
        names = [f.id for f in k.frameworks[:3]]
        matrix = engine.compare(k, names, state.answer_map(), names[0])
        out = render.as_dicts(render.render(matrix))
        table = next(b for b in out if b["type"] == "table")
        assert len(table["rows"]) <= 100 and all(len(r) <= 20 for r in table["rows"])
        cells = [c.get("text") or c["elements"][0]["elements"][0]["text"] for r in table["rows"] for c in r]
        assert all(0 < len(c) <= 1000 for c in cells)
        assert json.dumps(out)
