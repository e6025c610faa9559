"""Pure parts of the Discord adapter: the custom_id contract, and Components V2 rendering
within Discord's limits (40 components, 4,000 characters of text, labels and ids)."""
from __future__ import annotations

import asyncio
import dataclasses
import secrets

import discord
import pytest

from bot import engine
from bot.engine.whatif import offered
from bot.adapters.discord import ids, render
from bot.adapters.discord.render.context import Ctx
from bot.adapters.discord.render.conversation import conversation
from bot.adapters.discord.render.info import about, compare, help_screen as render_help_screen
from bot.adapters.discord.render.question import progress, question
from bot.adapters.discord.render.result import shared
from bot.adapters.discord.render.screen import (
    ButtonSpec, COMPONENTS_MAX, NOTE_COLOUR, Screen, SelectSpec, TEXT_TOTAL_MAX, component_count, text_length,
)
from bot.adapters.discord.render.text import LABEL_MAX, plain, safe
from bot.adapters.discord.components import ITEMS, AnswerButton, AnswerSelect, NavButton, ShareButton
from bot.adapters.discord.view import build_view
from bot.engine.model import Link, Option
from bot.engine.replies import Prefill, QuestionReply, Recommendation, Suggestion

LONG_SESSION = secrets.token_urlsafe(32)  # 43 characters, five times what the service hands out
BIG_VERSION = 10**9
CTX = Ctx("sess1234", 3)


def _question_reply(q, can_back=True, **kw) -> QuestionReply:  # noqa: ANN001
    return QuestionReply(q.id, q.text, q.help, q.options, asked=12, can_back=can_back, refining=True, **kw)


def view_of(screen: Screen) -> discord.ui.LayoutView:
    """build_view as the bot calls it: inside a running event loop (discord.py before 2.7 makes
    a view's stop future at once, so it cannot be built outside one)."""
    async def build() -> discord.ui.LayoutView:
        return build_view(screen)

    return asyncio.run(build())


def handler(item: discord.ui.Item) -> type:
    """The one registered dynamic item whose template takes a click on `item`."""
    (match,) = [cls for cls in ITEMS if cls.__discord_ui_compiled_template__.fullmatch(item.custom_id)]
    return match


def check_screen(screen: Screen) -> discord.ui.LayoutView:
    """Every limit Discord enforces on a Components V2 message, on our data and on what
    discord.py builds from it."""
    assert component_count(screen) <= COMPONENTS_MAX
    assert text_length(screen) <= TEXT_TOTAL_MAX
    assert all(t for t in screen.texts)  # Discord refuses an empty text display
    for row in screen.rows:
        selects = [c for c in row.items if isinstance(c, SelectSpec)]
        assert (len(selects) == 1 and len(row.items) == 1) or (not selects and 1 <= len(row.items) <= 5)
    for c in screen.components:
        assert len(c.custom_id) <= ids.MAX_LENGTH and ids.parse(c.custom_id) is not None
        if isinstance(c, SelectSpec):
            assert 1 <= len(c.options) <= 25 and len(c.placeholder) <= 150
            assert sum(o.default for o in c.options) <= 1
            for o in c.options:
                assert 1 <= len(o.label) <= 100 and len(o.value) <= 100 and len(o.description) <= 100
        else:
            assert 1 <= len(c.label) <= 80
    view = view_of(screen)  # checks each id against the contract
    assert all(handler(item) for item in view.walk_children() if getattr(item, "custom_id", None))
    assert view.has_components_v2() and view.content_length() == text_length(screen)
    assert view.total_children_count == component_count(screen)
    (container,) = view.to_components()
    assert container["type"] == 17 and container["accent_color"] == screen.accent
    return view


def test_every_question_and_option_fits_the_custom_id_contract(knowledge) -> None:
    for q in knowledge.questions:
        assert q.id not in ids.RESERVED
        select = ids.select(LONG_SESSION, BIG_VERSION, q.id)
        assert len(select) <= 100 and ids.parse(select) == ids.Parsed("select", LONG_SESSION, BIG_VERSION, q.id)
        for o in q.options:
            cid = ids.answer(LONG_SESSION, BIG_VERSION, q.id, o.id)
            assert len(cid) <= 100, cid
            assert ids.parse(cid) == ids.Parsed("answer", LONG_SESSION, BIG_VERSION, q.id, o.id)
        for confirm in (False, True):
            ctx = Ctx(LONG_SESSION, BIG_VERSION, confirm_restart=confirm)
            check_screen(question(_question_reply(q), ctx))
    for action in ids.NAV_ACTIONS:
        assert ids.parse(ids.nav(LONG_SESSION, BIG_VERSION, action)).action == action
    assert ids.parse(ids.share(LONG_SESSION, BIG_VERSION)).kind == "share"


def test_templates_are_disjoint_so_one_click_runs_one_handler() -> None:
    samples = [ids.answer("s", 1, "orm", "any"), ids.select("s", 1, "experience"), ids.share("s", 1)]
    samples += [ids.nav("s", 1, a) for a in ids.NAV_ACTIONS]
    samples += [ids.askteam("s", 1), ids.answer("s.T1", 1, "orm", "any"), ids.select("s.T1", 1, "experience")]
    samples += [ids.team("123456789012", a) for a in ids.TEAM_ACTIONS] + [ids.team_whatif("T1", "orm", "any")]
    for cid in samples:
        matching = [item for item in ITEMS if item.__discord_ui_compiled_template__.fullmatch(cid)]
        assert len(matching) == 1, (cid, matching)
    assert ids.parse(ids.answer("s.T1", 1, "orm", "any")) == ids.Parsed("answer", "s", 1, "orm", "any", team="T1")
    assert ids.parse(ids.team("T123", "close")) == ids.Parsed("team", "", 0, action="close", team="T123")
    for cid in ("fa:team:1:orm", "fa:team:T1:nav:skip", "fa:team:T1:share", "fa:s:1:askteam:x", "fa:s.T.U:1:orm",
                "fa:s:1:nav", "fa:s:1:share:x", "fa:s:1:nav:explode", "xx:s:1:orm:any", "fa:s:x:orm", "fa:s:1:a b"):
        assert ids.parse(cid) is None
        assert not any(item.__discord_ui_compiled_template__.fullmatch(cid) for item in ITEMS)


def test_contract_refuses_what_it_cannot_carry() -> None:
    with pytest.raises(ids.CustomIdError):
        ids.select("s", 1, "nav")
    with pytest.raises(ids.CustomIdError):
        ids.answer("s", 1, "q", "has:colon")
    with pytest.raises(ids.CustomIdError):
        ids.answer("s" * 64, 1, "q" * 30, "o" * 30)  # over 100
    with pytest.raises(ids.CustomIdError):
        ids.nav("s", 1, "explode")


def test_question_layout_progress_and_navigation(knowledge) -> None:
    for q in knowledge.questions:
        screen = question(_question_reply(q, can_back=False), CTX)
        answers, nav = screen.rows
        if len(q.options) > 5:
            assert [type(c) for c in answers.items] == [SelectSpec]
            assert [o.value for o in answers.items[0].options] == [o.id for o in q.options]
        else:
            assert {type(c) for c in answers.items} == {ButtonSpec}
            assert {c.style for c in answers.items} == {"primary"}
        assert [c.label for c in nav.items] == ["Not sure / skip", "Back", "Decide now", "Restart"]
        assert [ids.parse(c.custom_id).action for c in nav.items] == ["skip", "back", "decide", "restart"]
        assert nav.items[1].disabled  # nothing to go back to
        assert screen.texts[0].startswith("-# Question 12 \u00b7 refining\n### ")
    view = view_of(question(_question_reply(knowledge.question("experience")), CTX))
    container = view.children[0]
    rows = [c for c in container.children if isinstance(c, discord.ui.ActionRow)]
    assert handler(rows[0].children[0]) is AnswerSelect
    assert {handler(c) for c in rows[1].children} == {NavButton}


def test_progress_shows_the_engines_bound_only_when_it_gives_one(knowledge) -> None:
    q = knowledge.question("orm")
    reply = QuestionReply(q.id, q.text, q.help, q.options, asked=3)
    assert progress(reply) == "Question 3"
    assert progress(dataclasses.replace(reply, remaining_at_most=4)) == "Question 3 \u00b7 at most 4 more"
    assert progress(dataclasses.replace(reply, remaining_at_most=0)) == "Question 3 \u00b7 last one"


def test_back_marks_the_earlier_answer(knowledge) -> None:
    select_q = next(q for q in knowledge.questions if len(q.options) > 5)
    chosen = select_q.options[2]
    screen = question(_question_reply(select_q, previous=chosen.id), CTX)
    (select,) = screen.rows[0].items
    assert [o.value for o in select.options if o.default] == [chosen.id]
    assert f"You answered **{safe(chosen.label)}** before" in screen.text
    built = view_of(screen).to_components()[0]["components"]
    options = next(c for c in built if c["type"] == 1)["components"][0]["options"]
    assert [o["value"] for o in options if o["default"]] == [chosen.id]

    button_q = next(q for q in knowledge.questions if len(q.options) <= 5)
    chosen = button_q.options[-1]
    screen = question(_question_reply(button_q, previous=chosen.id), CTX)
    styles = {ids.parse(c.custom_id).option: c.style for c in screen.rows[0].items}
    assert styles.pop(chosen.id) == "primary" and set(styles.values()) == {"secondary"}


def test_restart_asks_first() -> None:
    q = QuestionReply("orm", "ORM?", "", (Option("a", "A"), Option("b", "B")), asked=5,
                      prefilled=(Prefill("style", "Style", "api", "API", "api"),))
    screen = question(q, dataclasses.replace(CTX, confirm_restart=True))
    assert "Start over?** This discards your 5 answers." in screen.text
    confirm = screen.rows[-1]
    assert [(ids.parse(c.custom_id).action, c.style) for c in confirm.items] == [("reset", "danger"),
                                                                                ("cancel", "secondary")]
    assert not any(ids.parse(c.custom_id).action == "restart" for c in screen.components if c in confirm.items)


def _recommendation(knowledge) -> Recommendation:  # noqa: ANN001
    # answers after which no other answer could change the pick (settled), with a think-twice point
    reply = engine.recommend(knowledge, {"experience": "none", "control": "batteries", "style": "fullstack",
                                         "scope": "growing", "orm": "builtin", "data": "aggregation",
                                         "performance": "critical", "team": "stable", "longevity": "critical",
                                         "admin": "yes"}, "")
    assert reply.settled and reply.can_refine
    assert isinstance(reply, Recommendation)
    return dataclasses.replace(reply, settled=True, open_questions=())  # the settled look; unsettled below


def test_recommendation_sections_and_actions(knowledge) -> None:
    reply = _recommendation(knowledge)
    screen = conversation(reply, Ctx("sess1234", 7))
    check_screen(screen)
    assert screen.texts[0].startswith(f"## {reply.name} \u2014 recommended for your project\n")
    for wanted in ("**Runner-up:**", "**Why**\n\u2022 ", "**Think twice**", "**What would change it**", "**Links**"):
        assert wanted in screen.text
    assert "](https://" in screen.text and "**Also consider" not in screen.text
    assert [c.custom_id for c in screen.components][:2] == ["fa:sess1234:7:share", "fa:sess1234:7:nav:more"]
    assert [c.label for c in screen.components][:7] == ["Share in channel", "More questions", "Ask my team",
                                                       "Export decision record", "Compare top 3", "Back", "Restart"]
    assert [c.label for c in screen.components][7:] == [plain(c.whatif, LABEL_MAX)
                                                        for c in offered(reply, 5)]
    member = conversation(reply, Ctx("sess1234.Tm_abc-12345", 7, team="Tm_abc-12345"))
    check_screen(member)  # a team member's result: it counts for the team, nothing to share or ask
    assert [c.label for c in member.components][:4] == ["More questions", "Export decision record", "Compare top 3",
                                                        "Back"]
    assert all(ids.parse(c.custom_id).team == "Tm_abc-12345" for c in member.components)
    assert "count for the team decision" in member.text
    rows = [c for c in view_of(screen).children[0].children if isinstance(c, discord.ui.ActionRow)]
    assert handler(rows[0].children[0]) is ShareButton

    public = shared(reply, "1500000000000000001")
    assert public.components == [] and f"## {reply.name}" in public.text
    assert "Shared by <@1500000000000000001>" in public.text


def test_also_consider_unsettled_and_shared_states(knowledge) -> None:
    reply = dataclasses.replace(
        _recommendation(knowledge), settled=False, open_questions=("orm", "team"),
        also_consider=(Suggestion("litestar", "Litestar", "You want an async API", "first released 2021",
                                  (Link("Docs", "https://docs.litestar.dev/"),)),))
    names = {q.id: q.short for q in knowledge.questions}
    screen = conversation(reply, Ctx("s", 1, names, shared="1300000000000000001"))
    check_screen(screen)
    assert "not yet settled" in screen.texts[0]
    assert "Still open: ORM, Team growth." in screen.text
    assert "**Also consider (not in the article)**\n\u2022 **Litestar**: You want an async API" in screen.text
    assert "[Docs](https://docs.litestar.dev/)" in screen.text
    assert "Shared in <#1300000000000000001>" in screen.text
    assert not any(c.custom_id.endswith(":share") for c in screen.components)  # shared once


LONG = "W" * 400


def test_longest_texts_stay_within_every_limit(knowledge) -> None:
    """Knowledge an operator could write: every text as long as the YAML allows and more."""
    options = tuple(Option(f"o{i}", "L" * 300) for i in range(25))
    prefilled = tuple(Prefill(f"q{i}", "S" * 200, f"o{i}", "O" * 200, "k" * 200) for i in range(11))
    q = QuestionReply("orm", "Q" * 10_000, "H" * 10_000, options, asked=99, prefilled=prefilled, can_back=True,
                      remaining_at_most=99, previous="o24")
    for confirm in (False, True):
        screen = question(q, Ctx(LONG_SESSION, BIG_VERSION, confirm_restart=confirm))
        check_screen(screen)
        assert screen.texts[1].startswith("-# Question 99 \u00b7 at most 99 more\n")
    few = dataclasses.replace(q, options=options[:5], previous="o4")
    check_screen(question(few, Ctx(LONG_SESSION, BIG_VERSION)))

    base = _recommendation(knowledge)
    huge = dataclasses.replace(
        base, name="N" * 300, runner_up_name="R" * 300, summary="S" * 5000,
        reasons=(LONG,) * 40, caveats=(LONG,) * 40, flips=(LONG,) * 40,
        links=tuple(Link("T" * 200, "https://example.com/" + "p" * 400) for _ in range(30)),
        also_consider=tuple(Suggestion(f"x{i}", "A" * 200, LONG, LONG, (Link("D", "https://x.dev"),))
                            for i in range(10)),
        prefilled=prefilled, settled=False, open_questions=tuple(q.id for q in knowledge.questions))
    for ctx in (Ctx(LONG_SESSION, BIG_VERSION), Ctx(LONG_SESSION, BIG_VERSION, confirm_restart=True)):
        screen = conversation(huge, ctx)
        check_screen(screen)
        assert "**Why**" in screen.text and "**Also consider" in screen.text and "**Links**" in screen.text
    check_screen(shared(huge, "1"))


def test_escaping_neutralises_markdown_and_mentions() -> None:
    hostile = "@everyone @here <@&123456789012345678> <@123456789012345678> **bold** __u__ `x` ||spoiler|| [a](http://e)"
    out = safe(hostile)
    assert "@everyone" not in out and "@here" not in out
    assert "<@&1" not in out and "<@1" not in out
    assert "**" not in out.replace("\\*\\*", "")
    assert len(safe("x" * 10_000, 500)) == 500
    note = render.note(hostile + "y" * 10_000)
    check_screen(note)
    assert len(note.text) <= 500 and "@everyone" not in note.text and note.accent == NOTE_COLOUR


def test_about_compare_help_fit(knowledge) -> None:
    for f in knowledge.frameworks:
        screen = about(engine.about(knowledge, f.id))
        check_screen(screen)
        assert screen.texts[0].startswith(f"## {safe(f.name)}\n")
    ids_ = [f.id for f in knowledge.frameworks]
    for a in ids_:
        for b in ids_:
            if a != b:
                check_screen(compare(engine.compare(knowledge, [a, b])))
    help_screen = render_help_screen(engine.help_reply(knowledge))
    check_screen(help_screen)
    assert "/framework start" in help_screen.text


def test_client_has_no_privileged_intents_and_no_mentions(make_app) -> None:
    from bot.adapters.discord.client import build_client

    client = build_client(make_app())
    assert isinstance(client, discord.AutoShardedClient)
    assert not client.intents.message_content and not client.intents.members and not client.intents.presences
    assert client.allowed_mentions.to_dict() == {"parse": []}
    group = client.tree.get_command("framework")
    assert sorted(c.name for c in group.commands) == ["about", "compare", "help", "start", "team"]
    assert AnswerButton in ITEMS
