"""The pure parts of the Slack adapter: the interaction-id contract and Block Kit rendering."""
from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest

from bot import engine
from bot.adapters.slack import ids, render
from bot.adapters.slack.render.home import home_view
from bot.adapters.slack.render.question import MAX_BUTTONS
from bot.adapters.slack.render.result import recommendation
from bot.adapters.slack.render.text import FALLBACK_MAX, clip, escape
from bot.engine.events import Start
from bot.engine.model import Link
from bot.engine.replies import QuestionReply, Recommendation
from bot.service.outcome import Ref


def test_token_round_trip() -> None:
    assert ids.parse_token(ids.token(Ref("Ab-_9xYz", 12))) == ids.Token(Ref("Ab-_9xYz", 12), "")
    tok = ids.token(Ref("abc", 3), "1700000000.000100")
    assert ids.parse_token(tok) == ids.Token(Ref("abc", 3), "1700000000.000100")
    assert ids.token_from_block_id(ids.block_id("answers", tok)) == ids.parse_token(tok)
    for bad in ("", None, "abc", "abc:x", "a b:1", "abc:1:notats", "abc:1:2:3", "<!channel>:1"):
        assert ids.parse_token(bad) is None


def test_action_ids() -> None:
    assert ids.parse_action("answer:style:api") == ids.Action("answer", "style", "api")
    assert ids.parse_action("answer:experience") == ids.Action("answer", "experience", "")
    assert ids.parse_action("nav:skip") == ids.Action("nav", nav="skip")
    assert ids.parse_action("share") == ids.Action("share")
    for bad in ("nav:jump", "answer:", "shared", "answer:a:b:c", "", None):
        assert ids.parse_action(bad) is None
    assert ids.ACTION_PATTERN.match("answer:x:y") and not ids.ACTION_PATTERN.match("other")


def test_escape_defuses_everything_a_user_could_type() -> None:
    out = escape("<!channel> <!here> <@U123|bob> <#C1> & @here @Everyone <https://x|y>")
    assert "<" not in out and ">" not in out
    assert "&lt;!channel&gt;" in out and "&amp;" in out
    assert "@here" not in out and "@Everyone" not in out
    assert escape("a &amp; b") == "a &amp;amp; b"  # idempotence is not wanted: typed text shown as typed


def test_clip_never_cuts_an_entity() -> None:
    text = escape("<" * 100)
    clipped = clip(text, 50)
    assert len(clipped) <= 50 and clipped.endswith("\u2026")
    assert clipped[:-1].endswith(";")


def test_every_question_renders_within_limits(knowledge) -> None:  # noqa: ANN001
    tok = ids.token(Ref("s1", 4))
    for n, q in enumerate(knowledge.questions, 1):
        reply = QuestionReply(q.id, q.text, q.help, q.options, n, can_back=n > 1)
        blocks = render.as_dicts(render.render(reply, tok))
        answers = next(b for b in blocks if b.get("block_id", "").startswith("answers|"))
        if len(q.options) <= MAX_BUTTONS:
            assert [e["action_id"] for e in answers["elements"]] == [f"answer:{q.id}:{o.id}" for o in q.options]
            assert all(e["value"] == tok for e in answers["elements"])
        else:
            (select,) = answers["elements"]
            assert select["type"] == "static_select" and select["action_id"] == f"answer:{q.id}"
            assert [o["value"] for o in select["options"]] == [o.id for o in q.options]
            assert ids.token_from_block_id(answers["block_id"]).ref == Ref("s1", 4)
        nav = next(b for b in blocks if b.get("block_id", "").startswith("nav|"))
        assert [e["action_id"] for e in nav["elements"]] == ["nav:skip", "nav:decide", "nav:back", "nav:restart"]
        assert nav["elements"][-1]["confirm"]["confirm"]["text"] == "Yes, start over"  # Restart asks first
        assert all(e["value"] == tok for e in nav["elements"])


def test_experience_uses_a_select(knowledge) -> None:  # noqa: ANN001
    q = next(q for q in knowledge.questions if q.id == "experience")
    assert len(q.options) > 5
    blocks = render.as_dicts(render.render(QuestionReply(q.id, q.text, q.help, q.options, 1), "s:1"))
    assert any(e.get("type") == "static_select" for b in blocks for e in b.get("elements", []))


def test_recommendation_block_and_links(knowledge) -> None:  # noqa: ANN001
    rec = engine.recommend(knowledge, {}, "")
    rec = replace(rec, links=rec.links + (Link("a|b <x>", "https://example.com/?a=1&b=<2>"),
                                          Link("not a link", "javascript:alert(1)")))
    blocks = render.as_dicts(render.render(rec, "s:2"))
    assert f"recommendation:{rec.framework}" in [b.get("block_id") for b in blocks]
    text = json.dumps(blocks)
    assert "<https://example.com/?a=1&amp;b=%3C2%3E|a/b &lt;x&gt;>" in text
    assert "javascript:" not in text.replace("not a link", "")
    actions = [e["action_id"] for b in blocks for e in b.get("elements", []) if "action_id" in e]
    assert actions[0] == "share" and "nav:back" in actions and "nav:restart" in actions
    shared = render.as_dicts(render.render(rec, shared_by="U0000000001"))
    assert not any(b["type"] == "actions" for b in shared)
    assert "<@U0000000001>" in json.dumps(shared)
    assert "<@" not in json.dumps(render.as_dicts(render.render(rec, shared_by="<!channel>")))


def test_huge_texts_are_clipped_to_slack_limits(knowledge) -> None:  # noqa: ANN001
    rec: Recommendation = engine.recommend(knowledge, {}, "")
    rec = replace(rec, reasons=("why " * 300,) * 40, caveats=("<!here> " * 500,), flips=("x" * 5000,),
                  name="N" * 400, summary="s" * 4000)
    blocks = render.as_dicts(render.render(rec, "s:1"))  # raises if any limit is exceeded
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


def test_about_and_compare_for_every_framework(knowledge) -> None:  # noqa: ANN001
    names = [f.id for f in knowledge.frameworks]
    for name in names:
        render.as_dicts(render.render(engine.about(knowledge, name)))
    for pair in itertools.combinations(names, 2):
        render.as_dicts(render.render(engine.compare(knowledge, list(pair))))
    for trio in itertools.combinations(names, 3):
        render.as_dicts(render.render(engine.compare(knowledge, list(trio))))
    render.as_dicts(render.render(engine.help_reply(knowledge)))


def test_prefill_note_escapes_keywords(knowledge) -> None:  # noqa: ANN001
    _, reply = engine.step(knowledge, None, Start("we use django"))
    reply = replace(reply, prefilled=tuple(replace(p, keyword="<!channel> & co") for p in reply.prefilled))
    text = json.dumps(render.as_dicts(render.render(reply, "s:1")))
    assert "&lt;!channel&gt; &amp; co" in text


def test_question_needs_a_token(knowledge) -> None:  # noqa: ANN001
    _, reply = engine.step(knowledge, None, Start(""))
    with pytest.raises(ValueError):
        render.render(reply)
    assert render.fallback_text(None, "<!here>") == "&lt;!here&gt;"


def test_memoised_dicts_match_a_fresh_render(knowledge) -> None:  # noqa: ANN001
    _, reply = engine.step(knowledge, None, Start("we use django"))
    for tok in ("abc:1", "abc:2:1700000000.000100"):
        assert render.dicts(reply, tok) == render.as_dicts(render.render(reply, tok))
    rec = engine.recommend(knowledge, {}, "")
    assert render.dicts(rec, "x:9") == render.as_dicts(render.render(rec, "x:9"))
    assert render.dicts(rec, shared_by="U1") == render.as_dicts(render.render(rec, shared_by="U1"))
    assert render.note_dicts("<!here>") == render.as_dicts(render.note("<!here>"))


def _question(knowledge, many: bool, **kw) -> QuestionReply:  # noqa: ANN001
    q = next(q for q in knowledge.questions if (len(q.options) > MAX_BUTTONS) == many)
    return QuestionReply(q.id, q.text, q.help, q.options, 4, **kw)


def test_progress_on_every_question(knowledge) -> None:  # noqa: ANN001
    reply = _question(knowledge, False)
    blocks = render.as_dicts(render.render(reply, "s:1"))
    assert blocks[0] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Question 4"}]}
    bounded = render.as_dicts(render.render(replace(reply, remaining_at_most=2), "s:1"))
    assert bounded[0]["elements"][0]["text"] == "Question 4 \u00b7 at most 2 more"
    assert render.fallback_text(reply) == clip(escape(f"Question 4: {reply.text}"), FALLBACK_MAX)
    assert render.fallback_text(replace(reply, remaining_at_most=0)).startswith("Question 4 \u00b7 last one: ")


def test_back_marks_the_earlier_answer(knowledge) -> None:  # noqa: ANN001
    reply = _question(knowledge, True)
    chosen = reply.options[3]
    blocks = render.as_dicts(render.render(replace(reply, previous=chosen.id), "s:1"))
    select = next(e for b in blocks for e in b.get("elements", []) if e.get("type") == "static_select")
    assert select["initial_option"]["value"] == chosen.id
    assert f"You answered *{chosen.label}* before" in json.dumps(blocks, ensure_ascii=False)
    plain = render.as_dicts(render.render(reply, "s:1"))
    assert "initial_option" not in json.dumps(plain)

    reply = _question(knowledge, False)
    chosen = reply.options[-1]
    blocks = render.as_dicts(render.render(replace(reply, previous=chosen.id), "s:1"))
    answers = next(b for b in blocks if b.get("block_id", "").startswith("answers|"))
    assert {e["action_id"].split(":")[-1]: e.get("style") for e in answers["elements"]} == {
        o.id: ("primary" if o.id == chosen.id else None) for o in reply.options}


def test_restart_asks_first_everywhere(knowledge) -> None:  # noqa: ANN001
    for reply in (_question(knowledge, False), engine.recommend(knowledge, {}, "")):
        blocks = render.as_dicts(render.render(reply, "s:1"))
        restart = next(e for b in blocks for e in b.get("elements", []) if e.get("action_id") == "nav:restart")
        confirm = restart["confirm"]
        assert {k: v["text"] for k, v in confirm.items() if k != "style"} == {
            "title": "Start over?", "text": "This discards your answers in this conversation.",
            "confirm": "Yes, start over", "deny": "Keep going"}
        assert confirm["style"] == "danger"


def test_unsettled_also_consider_and_shared(knowledge) -> None:  # noqa: ANN001
    from bot.engine.replies import Suggestion

    rec = replace(engine.recommend(knowledge, {}, ""), settled=False, open_questions=("orm", "team"),
                  also_consider=(Suggestion("litestar", "Litestar", "an async <API>", "since 2021",
                                            (Link("Docs", "https://docs.litestar.dev/"),)),))
    blocks = render.as_dicts(render.render(rec, "s:1", names=render.question_names(knowledge)))
    text = json.dumps(blocks, ensure_ascii=False)
    assert blocks[0]["text"]["text"] == f"Leaning towards {rec.name} (not yet settled)"
    assert "Still open: ORM, Team growth." in text
    assert "*Also consider (not in the article)*" in text  # a title block, then one section per suggestion
    assert "\u2022 *Litestar*: an async &lt;API&gt;\\n_since 2021_\\n<https://docs.litestar.dev/|Docs>" in text
    shared = render.as_dicts(recommendation(rec, "s:1", shared_in="C0123456"))
    assert "Shared in <#C0123456>." in json.dumps(shared)
    assert "share" not in [e.get("action_id") for b in shared for e in b.get("elements", [])]


def test_longest_texts_fit_questions(knowledge) -> None:  # noqa: ANN001
    from bot.engine.model import Option
    from bot.engine.replies import Prefill

    options = tuple(Option(f"o{i}", "L" * 300) for i in range(25))
    prefilled = tuple(Prefill(f"q{i}", "S" * 200, f"o{i}", "<!here>" * 30, "k" * 200) for i in range(11))
    reply = QuestionReply("orm", "Q" * 10_000, "H" * 10_000, options, 99, prefilled=prefilled, can_back=True,
                          remaining_at_most=99, previous="o24")
    render.as_dicts(render.render(reply, "s" * 64 + ":999999999999"))  # raises on any limit
    render.as_dicts(render.render(replace(reply, options=options[:5], previous="o4"), "s:1"))


def test_home_view_fits_with_the_longest_texts(knowledge) -> None:  # noqa: ANN001
    from bot.engine.model import Option
    from bot.service.outcome import Recent
    from bot.store.base import Scope

    rec = replace(engine.recommend(knowledge, {}, ""), name="<!here> " + "N" * 400, runner_up_name="R" * 400,
                  confidence="c" * 300, settled=False)
    question = QuestionReply("orm", "<!channel> " + "Q" * 10_000, "", (Option("a", "A"),), 99)
    items = []
    for i in range(60):
        scope = Scope("slack", "T1", "C" + "9" * 20 if i % 2 else "D123", "1700000000.000100" if i % 3 else "", "U1")
        items.append(Recent(scope, Ref("s" * 64, 10**11), 1_700_000_000.0 + i, rec if i % 2 else question))
    view = home_view(items, notice="x" * 3000)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert "<!here>" not in text and "<!channel>" not in text
    for b in view["blocks"]:
        for e in [b.get("accessory")] if b.get("accessory") else []:
            assert len(e["value"]) <= 2000 and ids.parse_home_value(e["value"]) is not None
