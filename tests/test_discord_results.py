"""Export, "Compare top 3" and what-if on Discord: the real discord.py client and persistent
components against the REST stand-in (the export's multipart callback, with the .md attached)."""
from __future__ import annotations

import random

from support.discord_api import ALICE, BOB, Driver, flat_components, is_result, texts

from bot import engine
from bot.adapters.discord import ids
from bot.adapters.discord.render.context import Ctx
from bot.adapters.discord.render.info import info
from bot.adapters.discord.render.result import recommendation, whatif
from bot.adapters.discord.render.text import plain
from bot.adapters.discord.render.screen import COMPONENTS_MAX, TEXT_TOTAL_MAX, component_count, text_length
from bot.adapters.discord.render.text import LABEL_MAX
from bot.engine.whatif import offered
from engine_support import long_changes, oversized, random_finished
from test_discord_interactions import EPHEMERAL, SCOPE, answer_components, bot, driver, nav, standin, start_bot, store  # noqa: F401
from test_export_madr import HOSTILE, split, tokens


def finish(driver: Driver, rng: random.Random | None = None, text: str = "") -> dict:
    r, message = driver.command("start", text=text) if text else driver.command("start")
    for _ in range(20):
        if is_result(message):
            return message
        answers = answer_components(message)
        if rng is None or not answers:
            _, message = driver.click(message, nav(message, "skip"))
            continue
        component = rng.choice(answers) if answers[0]["type"] == 2 else answers[0]
        values = [rng.choice(component["options"])["value"]] if component["type"] == 3 else None
        _, message = driver.click(message, component["custom_id"], values=values)
    raise AssertionError("no result")


def custom_id(message: dict, suffix: str) -> str:
    return next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(suffix))


def with_button(message: dict, cid: str) -> dict:
    """The message with one more button, as if it had been rendered (a click must come from
    a component the message carries, or discord.py drops it)."""
    import copy

    out = copy.deepcopy(message)
    container = out["components"][0]
    container["components"].append({"type": 1, "components": [{"type": 2, "style": 2, "label": "x",
                                                                 "custom_id": cid}]})
    return out


def test_export_sends_an_ephemeral_follow_up_with_the_record_attached(driver, bot, standin) -> None:  # noqa: ANN001
    result = finish(driver, text=HOSTILE[:500])
    before = bot.app.store.load(SCOPE.key())
    r, _ = driver.click(result, custom_id(result, ":export"))
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert r.data["allowed_mentions"] == {"parse": []}
    (upload,) = r.files
    filename = upload["filename"]
    framework = engine.view(bot.app.knowledge(), before.state).framework
    assert filename.startswith(f"decision-{framework}-") and filename.endswith(".md")
    assert [a["filename"] for a in r.data["attachments"]] == [filename]
    markdown = upload["data"].decode()
    front, body = split(markdown)
    assert front["decision-makers"] == [ALICE["global_name"]]
    name = bot.app.knowledge().framework(framework).name
    assert f'Chosen option: "{name}"' in markdown
    assert "@everyone" not in markdown and "<!channel>" not in markdown and "<script" not in markdown
    assert not [t for t in tokens(body) if t.type.startswith("html")]
    assert filename in r.data["content"]
    assert bot.app.store.load(SCOPE.key()) == before, "export changed nothing"


def test_compare_top_3_is_a_new_ephemeral_v2_message(driver, bot) -> None:  # noqa: ANN001
    result = finish(driver, random.Random(2))
    r, message = driver.click(result, custom_id(result, ":compare"))
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and r.data["flags"] & (1 << 15)
    state = bot.app.store.load(SCOPE.key()).state
    rec = engine.view(bot.app.knowledge(), state)
    shown = texts(message)
    top = [x.name for x in rec.ranking[:3]]
    assert shown.startswith("## " + " vs ".join(top))
    assert f"{rec.name} (pick)" in shown
    for row in engine.compare_top(bot.app.knowledge(), rec, state.answer_map()).rows:
        if row.answer:
            assert f"\u25b6 {row.label} (you: {row.answer})" in shown


def test_whatif_shows_the_changed_winner_and_back_restores(driver, bot) -> None:  # noqa: ANN001
    rng = random.Random(11)
    knowledge = bot.app.knowledge()
    for _ in range(5):
        result = finish(driver, rng)
        before = bot.app.store.load(SCOPE.key())
        rec = engine.view(knowledge, before.state)
        buttons = [c for c in flat_components(result) if ":whatif:" in c["custom_id"]]
        assert [c["label"] for c in buttons] == [plain(c.whatif, LABEL_MAX) for c in offered(rec, 5)]
        q = rng.choice(knowledge.questions)
        o = rng.choice(q.options)
        cid = buttons[0]["custom_id"] if buttons else ids.whatif(before.id, before.version, q.id, o.id)
        parsed = ids.parse(cid)
        r, shown = driver.click(result if buttons else with_button(result, cid), cid)
        assert r.body["type"] == 7, "the what-if replaces the result"
        expected = engine.winner(knowledge, {**before.state.answer_map(), parsed.question: parsed.option})
        assert f"With this change:** {knowledge.framework(expected).name}" in texts(shown)
        assert bot.app.store.load(SCOPE.key()) == before, "what-if saved nothing"
        r, back = driver.click(shown, custom_id(shown, ":nav:cancel"))
        assert r.body["type"] == 7
        assert back["components"] == result["components"], "back to my answers: the result exactly as it was"
        assert bot.app.store.load(SCOPE.key()) == before


def test_someone_else_cannot_export_or_whatif(driver, bot) -> None:  # noqa: ANN001
    result = finish(driver)
    for suffix in (":export", ":compare"):
        r, note = driver.click(result, custom_id(result, suffix), who=BOB)
        assert r.data["flags"] & EPHEMERAL and not r.files
        assert "someone else" in texts(note)


def test_result_whatif_and_matrix_fit_discords_limits(knowledge) -> None:  # noqa: ANN001
    k = oversized(knowledge, 90)
    rng = random.Random(8)
    for n in range(50):
        ctx = Ctx("s" * 64 if n % 2 else "sess1234", 10**11)
        state, rec = random_finished(knowledge, rng)
        rec = long_changes(knowledge, rec)
        for screen in (recommendation(rec, ctx),
                       whatif(engine.whatif(knowledge, state, "performance", "critical"), ctx),
                       info(engine.compare(k, [f.id for f in k.frameworks[:3]], state.answer_map(),
                                                  k.frameworks[0].id))):
            assert component_count(screen) <= COMPONENTS_MAX and text_length(screen) <= TEXT_TOTAL_MAX
            assert all(len(c.label) <= LABEL_MAX and len(c.custom_id) <= 100 for c in screen.components)
            assert all(len(row.items) <= 5 for row in screen.rows)
        whatifs = [c for c in recommendation(rec, ctx).components if ":whatif:" in c.custom_id]
        fitting = [c for c in rec.changes
                   if len(f"fa:{ctx.session}:{ctx.version}:whatif:{c.question}:{c.option}") <= 100]
        assert len(whatifs) == len(fitting) and (n % 2 or len(fitting) == 5)
