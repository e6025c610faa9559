"""Pure parts of the Discord adapter: the custom_id contract and rendering within Discord's limits."""
from __future__ import annotations

import secrets

import discord
import pytest

from bot import engine
from bot.adapters.discord import ids, render
from bot.adapters.discord.components import ITEMS, AnswerButton, AnswerSelect, NavButton, ShareButton, build_view
from bot.engine.replies import QuestionReply, Recommendation

LONG_SESSION = secrets.token_urlsafe(32)  # 43 characters, five times what the service hands out
BIG_VERSION = 10**9


def _question_reply(q, can_back=True) -> QuestionReply:  # noqa: ANN001
    return QuestionReply(q.id, q.text, q.help, q.options, asked=12, can_back=can_back, refining=True)


def _check_screen(screen: render.Screen) -> None:
    rows: dict[int, int] = {}
    for c in screen.components:
        assert len(c.custom_id) <= ids.MAX_LENGTH
        assert 0 <= c.row < render.ROWS_MAX
        if isinstance(c, render.SelectSpec):
            assert rows.get(c.row, 0) == 0
            rows[c.row] = 5
            assert 1 <= len(c.options) <= 25 and len(c.placeholder) <= 150
            for o in c.options:
                assert 1 <= len(o.label) <= 100 and len(o.value) <= 100
        else:
            rows[c.row] = rows.get(c.row, 0) + 1
            assert 1 <= len(c.label) <= 80
    assert all(n <= render.BUTTONS_PER_ROW for n in rows.values())
    assert len(screen.content) <= render.CONTENT_MAX
    if screen.embed is not None:
        assert len(screen.embed) <= render.EMBED_TOTAL_MAX
        assert len(screen.embed.title or "") <= render.TITLE_MAX
        assert all(len(f.value) <= render.FIELD_VALUE_MAX for f in screen.embed.fields)


def test_every_question_and_option_fits_the_custom_id_contract(knowledge) -> None:
    for q in knowledge.questions:
        assert q.id not in ids.RESERVED
        select = ids.select(LONG_SESSION, BIG_VERSION, q.id)
        assert len(select) <= 100 and ids.parse(select) == ids.Parsed("select", LONG_SESSION, BIG_VERSION, q.id)
        for o in q.options:
            cid = ids.answer(LONG_SESSION, BIG_VERSION, q.id, o.id)
            assert len(cid) <= 100, cid
            assert ids.parse(cid) == ids.Parsed("answer", LONG_SESSION, BIG_VERSION, q.id, o.id)
        screen = render.question(_question_reply(q), LONG_SESSION, BIG_VERSION)
        _check_screen(screen)
        view = build_view(screen)  # DynamicItem checks each id against its template
        assert len(view.children) == len(screen.components)
    for action in ids.NAV_ACTIONS:
        assert ids.parse(ids.nav(LONG_SESSION, BIG_VERSION, action)).action == action
    assert ids.parse(ids.share(LONG_SESSION, BIG_VERSION)).kind == "share"


def test_templates_are_disjoint_so_one_click_runs_one_handler() -> None:
    samples = [ids.answer("s", 1, "orm", "any"), ids.select("s", 1, "experience"), ids.nav("s", 1, "skip"),
               ids.share("s", 1)]
    for cid in samples:
        matching = [item for item in ITEMS if item.__discord_ui_compiled_template__.fullmatch(cid)]
        assert len(matching) == 1, (cid, matching)
    for cid in ("fa:s:1:nav", "fa:s:1:share:x", "fa:s:1:nav:explode", "xx:s:1:orm:any", "fa:s:x:orm", "fa:s:1:a b"):
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


def test_question_layout_buttons_or_select(knowledge) -> None:
    for q in knowledge.questions:
        screen = render.question(_question_reply(q, can_back=False), "sess1234", 3)
        kinds = {type(c) for c in screen.components if c.row == 0}
        if len(q.options) > 5:
            assert kinds == {render.SelectSpec}
            assert [o.value for o in screen.components[0].options] == [o.id for o in q.options]
        else:
            assert kinds == {render.ButtonSpec}
        nav = [c for c in screen.components if c.row == 1]
        assert [c.label for c in nav] == ["Not sure / skip", "Back", "Restart"]
        assert nav[1].disabled  # nothing to go back to
    view = build_view(render.question(_question_reply(knowledge.question("experience")), "sess1234", 3))
    assert isinstance(view.children[0], AnswerSelect)
    assert {type(c) for c in view.children[1:]} == {NavButton}


def test_recommendation_embed(knowledge) -> None:
    reply = engine.recommend(knowledge, {"experience": "none", "style": "api", "performance": "critical"}, "")
    assert isinstance(reply, Recommendation)
    screen = render.conversation(reply, "sess1234", 7)
    _check_screen(screen)
    embed = screen.embed
    assert embed.title.startswith(reply.name)
    names = [f.name for f in embed.fields]
    for wanted in ("Runner-up", "Why", "Caveats", "What would change the answer", "Links"):
        assert wanted in names
    assert "](https://" in embed.fields[names.index("Links")].value
    view = build_view(screen)
    assert isinstance(view.children[0], ShareButton)
    assert [c.custom_id for c in screen.components][:2] == ["fa:sess1234:7:share", "fa:sess1234:7:nav:more"]
    public = render.shared(reply)
    assert public.components == () and public.embed.title == embed.title


def test_escaping_neutralises_markdown_and_mentions() -> None:
    hostile = "@everyone @here <@&123456789012345678> <@123456789012345678> **bold** __u__ `x` ||spoiler|| [a](http://e)"
    out = render.safe(hostile)
    assert "@everyone" not in out and "@here" not in out
    assert "<@&1" not in out and "<@1" not in out
    assert "**" not in out.replace("\\*\\*", "")
    assert len(render.safe("x" * 10_000, 500)) == 500
    note = render.note(hostile + "y" * 10_000)
    assert len(note.content) <= 500 and "@everyone" not in note.content


def test_about_compare_help_fit(knowledge) -> None:
    for f in knowledge.frameworks:
        embed = render.about(engine.about(knowledge, f.id))
        assert embed.title == f.name and len(embed) <= 6000
    ids_ = [f.id for f in knowledge.frameworks]
    for a in ids_:
        for b in ids_:
            if a != b:
                embed = render.compare(engine.compare(knowledge, [a, b]))
                assert len(embed) <= 6000 and len(embed.fields) <= 25
                assert all(len(f.value) <= 1024 for f in embed.fields)
    help_embed = render.help_embed(engine.help_reply(knowledge))
    assert "/framework start" in help_embed.fields[0].value


def test_client_has_no_privileged_intents_and_no_mentions(make_app) -> None:
    from bot.adapters.discord.client import build_client

    client = build_client(make_app())
    assert isinstance(client, discord.AutoShardedClient)
    assert not client.intents.message_content and not client.intents.members and not client.intents.presences
    assert client.allowed_mentions.to_dict() == {"parse": []}
    group = client.tree.get_command("framework")
    assert sorted(c.name for c in group.commands) == ["about", "compare", "help", "start"]
    assert AnswerButton in ITEMS
